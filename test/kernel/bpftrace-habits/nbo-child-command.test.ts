// -c CMD and cpid, as bpftrace 0.17 has them: the command starts once the probes are
// attached, `cpid` is its pid (in BEGIN already), the run ends when it exits, with status
// 0 whatever the command's status, and an exit() in BEGIN ends the run before it runs.
// Each case runs bpftrace on the same command and takes its output as the expected text.
// Needs bpftrace (bench/setup.sh installs it); without it these tests fail and say so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, sleep } from '../../helpers/cli.js';
import { createTestLink, requireRoot, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nbo-'));
});

afterEach(() => {
  link?.destroy();
  link = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function bpftrace(args: string[]): { status: number | null; stdout: string } {
  if (spawnSync('sh', ['-c', 'command -v bpftrace']).status !== 0) throw new Error('bpftrace is not installed: run bench/setup.sh (these tests compare nettrace with it)');
  const r = spawnSync('bpftrace', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
  return { status: r.status, stdout: r.stdout };
}

/** A command that sends 5 UDP datagrams of 100 bytes from the namespace, then says so. */
function senderCommand(l: TestLink, port: number): string {
  const script = join(dir, 'send.js');
  writeFileSync(
    script,
    `const s = require('node:dgram').createSocket('udp4');
     let sent = 0;
     const next = () => (sent === 5 ? (s.close(), console.log('sent', sent)) : s.send(Buffer.alloc(100, 120), ${port}, '${l.rootAddr}', () => (sent++, next())));
     next();\n`,
  );
  // No shell: -c splits at spaces, as bpftrace's does.
  return `${execFileSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).trim()} netns exec ${l.ns} ${process.execPath} ${script}`;
}

describe('-c CMD and cpid', () => {
  it("counts the command's own packets by cpid, and ends when the command exits", async () => {
    requireRoot();
    link = createTestLink('nbo');
    const command = senderCommand(link, 40000 + Math.floor(Math.random() * 20000));
    // 142 bytes: Ethernet 14 + IPv4 20 + UDP 8 + 100 of payload, queued in the sender's context.
    const program = 'tracepoint:net:net_dev_queue /pid == cpid && args->len == 142/ { @[str(args->name)] = count(); } END { printf("done\\n"); }';
    const expected = bpftrace(['-c', command, '-e', program]);
    expect(expected).toEqual({ status: 0, stdout: `Attaching 2 probes...\nsent 5\ndone\n\n\n@[${link.nsIf}]: 5\n` });
    const env = { NETTRACE_CACHE_DIR: join(dir, 'cache') };
    const first = await runCli(['-v', '-c', command, '-e', program], env);
    expect([first.code, first.stdout]).toEqual([0, expected.stdout]);
    expect(first.stderr).toContain('nettrace: cache: saved');
    // cpid is not compiled in: the cached program serves the next command, with its own pid.
    const second = await runCli(['-v', '-c', command, '-e', program], env);
    expect([second.code, second.stdout]).toEqual([0, expected.stdout]);
    expect(second.stderr).toContain('nettrace: cache: hit');
  });

  it('exit status 0 whatever the command returns, as bpftrace', async () => {
    requireRoot();
    const program = 'tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { @exits = count(); }';
    const expected = bpftrace(['-c', '/usr/bin/false', '-e', program]);
    expect(expected).toEqual({ status: 0, stdout: 'Attaching 1 probe...\n\n\n@exits: 1\n' });
    const { code, stdout, stderr } = await runCli(['-c', '/usr/bin/false', '-e', program]);
    expect([code, stdout, stderr]).toEqual([0, expected.stdout, '']);
  });

  it('cpid is known in BEGIN; an exit() there ends the run before the command runs', async () => {
    requireRoot();
    // bpftrace mostly does not start the command either, but not always (it races with
    // its own exit); nettrace reads BEGIN's exit() from the status word before it lets
    // the command go, so it never does.
    const expected = bpftrace(['-c', `/usr/bin/touch ${join(dir, 'bpftrace-ran')}`, '-e', 'BEGIN { printf("%d\\n", cpid > 0); exit(); }']);
    expect(expected).toEqual({ status: 0, stdout: 'Attaching 1 probe...\n1\n\n\n' });
    const file = join(dir, 'nettrace-ran');
    const { code, stdout, stderr } = await runCli(['-c', `/usr/bin/touch ${file}`, '-e', 'BEGIN { printf("%d\\n", cpid > 0); exit(); }']);
    expect([code, stdout, stderr]).toEqual([0, expected.stdout, '']);
    await sleep(300);
    expect(existsSync(file)).toBe(false);
  });

  it('a run that ends first (--timeout) stops the command', async () => {
    requireRoot();
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(['-c', 'sleep 30', '--timeout', '1', '-e', 'BEGIN { printf("%d\\n", cpid); }']);
    expect([code, stderr]).toEqual([0, '']);
    const pid = /^Attaching 1 probe...\n(\d+)\n\n\n$/.exec(stdout)?.[1];
    expect(pid, stdout).toBeDefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    // SIGTERM ended sleep; init reaps it.
    for (let i = 0; i < 40 && existsSync(`/proc/${pid}`); i++) await sleep(50);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('cpid without -c is NT0360 at its place; a command that is not there is NT0590', async () => {
    const without = await runCli(['-e', 'BEGIN { printf("%d\\n", cpid); exit(); }']);
    expect([without.code, without.stdout]).toEqual([1, '']);
    expect(without.stderr).toBe(
      '-e:1:24: error[NT0360]: cpid is the pid of the command -c runs, and no command is given\n' +
        'BEGIN { printf("%d\\n", cpid); exit(); }\n' +
        '                       ~~~~\n' +
        "hint: run the command with -c: nettrace -c 'CMD ARGS' -e '...'; for another process, -p PID or pid == N\n",
    );
    const missing = await runCli(['-c', 'nbo-no-such-command --flag', '-e', 'BEGIN { exit(); }']);
    expect([missing.code, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toBe(
      "-e: error[NT0590]: cannot run -c's command 'nbo-no-such-command': not found on PATH\n" +
        'hint: give -c a program that exists and is executable, e.g. -c /usr/bin/curl or -c curl with curl on PATH\n',
    );
  });
});
