// What a bpftrace user types first gives what bpftrace 0.17 prints: the same program is
// run through bpftrace and nettrace, and nettrace's stdout must equal bpftrace's. Needs
// bpftrace (bench/setup.sh installs it); without it these tests fail and say so.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NETTRACE_BIN, runCli } from '../../helpers/cli.js';
import { requireRoot } from '../../helpers/netns.js';

function bpftrace(program: string, args: string[] = [], options: string[] = []): string {
  const found = spawnSync('sh', ['-c', 'command -v bpftrace']).status === 0;
  if (!found) throw new Error('bpftrace is not installed: run bench/setup.sh (these tests compare nettrace with it)');
  return execFileSync('bpftrace', [...options, '-e', program, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
}

async function nettrace(program: string, args: string[] = [], options: string[] = []): Promise<string> {
  const { code, stdout, stderr } = await runCli([...options, '-e', program, ...args]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

describe('as bpftrace prints it', () => {
  it('positional parameters in expressions: numbers, strings, $#, unset ones are 0', async () => {
    requireRoot();
    const program = 'BEGIN { printf("%d %d %s|\\n", $1, $#, str($2)); printf("%d %d\\n", $3 + 1, $1 * 2); exit() }';
    const expected = bpftrace(program, ['5', 'abc']);
    expect(expected).toBe('Attaching 1 probe...\n5 2 abc|\n1 10\n\n\n');
    expect(await nettrace(program, ['5', 'abc'])).toBe(expected);
  });

  it('print(): a cleared keyless map prints @x: 0, and no blank line follows a print', async () => {
    requireRoot();
    const program = 'BEGIN { @x = count(); clear(@x); print(@x); @y = 5; print(@y); print(@y); @k[1] = 1; @k[2] = 2; print(@k); printf("end\\n"); exit() }';
    const expected = bpftrace(program);
    expect(expected).toBe('Attaching 1 probe...\n@x: 0\n@y: 5\n@y: 5\n@k[1]: 1\n@k[2]: 2\nend\n\n\n@k[1]: 1\n@k[2]: 2\n@x: 0\n@y: 5\n');
    expect(await nettrace(program)).toBe(expected);
  });

  it('-q leaves out the Attaching line', async () => {
    requireRoot();
    const program = 'BEGIN { printf("hi\\n"); exit() }';
    const expected = bpftrace(program, [], ['-q']);
    expect(expected).toBe('hi\n\n\n');
    expect(await nettrace(program, [], ['-q'])).toBe(expected);
  });

  it('a reader that goes away ends the run with status 141, as bpftrace', () => {
    requireRoot();
    const pipeline = (command: string) =>
      spawnSync('bash', ['-c', `${command} 2>/dev/null | head -1; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 60_000 }).stdout;
    const program = 'interval:ms:10 { printf("tick\\n") }';
    bpftrace('BEGIN { exit() }'); // says so when bpftrace is missing
    const expected = pipeline(`bpftrace -e '${program}'`);
    expect(expected).toBe('Attaching 1 probe...\nstatus 141\n');
    const started = Date.now();
    expect(pipeline(`${process.execPath} ${NETTRACE_BIN} -e '${program}'`)).toBe(expected);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
