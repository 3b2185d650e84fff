// Keyless aggregations are one-entry per-CPU arrays (src/model/keyless-array.ts), where
// bpftrace keeps a hash: a map written with a zero, zeroed, cleared or never written must
// still print exactly as bpftrace 0.17 prints it, in text and in bpftrace's JSON. Needs
// bpftrace (bench/setup.sh installs it); without it these tests fail and say so.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { requireRoot } from '../../helpers/netns.js';

function bpftrace(program: string, options: string[] = []): string {
  const found = spawnSync('sh', ['-c', 'command -v bpftrace']).status === 0;
  if (!found) throw new Error('bpftrace is not installed: run bench/setup.sh (these tests compare nettrace with it)');
  return execFileSync('bpftrace', [...options, '-e', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
}

async function nettrace(program: string, options: string[] = []): Promise<string> {
  const { code, stdout, stderr } = await runCli([...options, '-e', program]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

// Written with 0 (@s), zeroed (@z, @hz), cleared (@cl), never written (@never, @nc).
const PROGRAM =
  'BEGIN { @s = sum(0); @n = sum(5); @a = avg(4); @z = sum(3); zero(@z); @hz = hist(3); zero(@hz); @h = hist(3); ' +
  '@cl = sum(3); clear(@cl); @mx = max(7); @st = stats(2); @c = count(); exit() } END { if (0) { @never = sum(1); @nc = count(); } }';

describe('keyless maps print as bpftrace prints them', () => {
  it('text: a zero written, zero(), clear() and never written', async () => {
    requireRoot();
    const expected = bpftrace(PROGRAM);
    expect(expected).toContain('\n@s: 0\n');
    expect(expected).toContain('\n@z: 0\n');
    expect(expected).toContain('\n@hz: \n\n');
    expect(await nettrace(PROGRAM)).toBe(expected);
  });

  it('-f json as bpftrace (--json-compat bpftrace)', async () => {
    requireRoot();
    const expected = bpftrace(PROGRAM, ['-f', 'json']);
    expect(expected).toContain('{"type": "map", "data": {"@s": 0}}');
    expect(await nettrace(PROGRAM, ['-f', 'json', '--json-compat', 'bpftrace'])).toBe(expected);
  });
});
