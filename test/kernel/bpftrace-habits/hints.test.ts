// Hints that say what is actually wrong on this machine: tracefs mounted but unreadable
// to an unprivileged user is not "tracefs is not mounted".
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NETTRACE_BIN, runCli, startCli } from '../../helpers/cli.js';
import { createTestLink, requireRoot } from '../../helpers/netns.js';

describe('hints', () => {
  it('tracefs mounted but unreadable: says so and names the privilege', () => {
    requireRoot();
    // The test machine mounts tracefs (nettrace mounts it as root when it is missing).
    spawnSync(process.execPath, [NETTRACE_BIN, '-d', 'ir', '-e', 'tracepoint:skb:kfree_skb { @x = count() }']);
    expect(readFileSync('/proc/mounts', 'utf8')).toMatch(/ \/sys\/kernel\/tracing tracefs /);
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, NETTRACE_BIN, '-d', 'ir', '-e', 'tracepoint:skb:kfree_skb { @x = count() }'], {
      encoding: 'utf8',
      cwd: '/',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      [
        "-e:1:1: error[NT0206]: cannot see the kernel's tracepoints for tracepoint:skb:kfree_skb",
        'tracepoint:skb:kfree_skb { @x = count() }',
        '~~~~~~~~~~~~~~~~~~~~~~~~',
        'hint: tracefs is mounted at /sys/kernel/tracing but this user cannot read it: tracepoints need root (or CAP_PERFMON and read access to /sys/kernel/tracing); run sudo nettrace ...',
        '',
      ].join('\n'),
    );
  });
});

describe('a second XDP program on an interface', () => {
  it('names the program that holds the hook and points at tc', async () => {
    const link = createTestLink('ntb');
    const first = startCli(['-e', `xdp:${link.rootIf} { @x = count() }`]);
    try {
      await first.waitFor('Attaching 1 probe...');
      const owner = JSON.parse(spawnSync('ip', ['-j', '-d', 'link', 'show', 'dev', link.rootIf], { encoding: 'utf8' }).stdout)[0].xdp.prog;
      const program = `xdp:${link.rootIf} { @y = count() }`;
      const { code, stderr } = await runCli(['-e', program]);
      expect(code).toBe(1);
      expect(stderr).toBe(
        [
          `-e:1:1: error[NT0502]: attaching xdp:${link.rootIf} failed: another XDP program (id ${owner.id}, name nt_prog0) is attached to ${link.rootIf}, and an interface has one XDP hook`,
          program,
          '~'.repeat(`xdp:${link.rootIf}`.length),
          `hint: tc:${link.rootIf}:ingress sees the same packets a little later (after the kernel made an sk_buff) and runs beside any XDP program`,
          `hint: nt_prog0 is another nettrace's; all xdp:${link.rootIf} blocks of one program share its one hook`,
          '',
        ].join('\n'),
      );
    } finally {
      first.child.kill('SIGINT');
      await first.exited;
      link.destroy();
    }
  });
});
