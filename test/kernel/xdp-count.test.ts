// Issue 2's walking skeleton, end to end: the one-liner exactly as a user types it, on a
// veth of the test's own namespace, counting packets sent from that namespace.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, sleep, startCli, type RunningCli } from '../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, xdpAttached, type TestLink } from '../helpers/netns.js';

let link: TestLink | undefined;
let cli: RunningCli | undefined;

afterEach(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  link = undefined;
  cli = undefined;
});

async function countWith(program: (ifname: string) => string, packets: number): Promise<string> {
  // One-liner exactly as typed, on the root-side end; packets come from the namespace.
  link = createTestLink();
  cli = startCli(['-e', program(link.rootIf)]);
  await cli.waitFor('Attaching 1 probe...');
  sendUdpFromNamespace(link, link.rootAddr, 9, packets);
  await sleep(300); // let the last packets through the veth's NAPI poll
  cli.child.kill('SIGINT');
  expect(await cli.exited).toBe(0);
  return cli.stdout();
}

describe('xdp one-liner counts packets per source address', () => {
  it('angle form: xdp:IF < @[ip.src] = count() >', async () => {
    const out = await countWith((i) => `xdp:${i} < @[ip.src] = count() >`, 25);
    expect(out).toContain(`@[${link!.nsAddr}]: 25\n`);
    expect(out.startsWith('Attaching 1 probe...\n')).toBe(true);
  });

  it('brace form: xdp:IF { @[ip.src] = count() }', async () => {
    const out = await countWith((i) => `xdp:${i} { @[ip.src] = count() }`, 17);
    expect(out).toContain(`@[${link!.nsAddr}]: 17\n`);
  });

  it('a predicate keeps only what it matches', async () => {
    link = createTestLink();
    cli = startCli(['-e', `xdp:${link.rootIf} /udp.dport == 9/ { @[ip.src, ip.proto] = count() }`]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdpFromNamespace(link, link.rootAddr, 9, 12);
    sendUdpFromNamespace(link, link.rootAddr, 10, 5);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain(`@[${link.nsAddr}, udp]: 12\n`);
  });

  it('SIGKILL leaves no XDP program on the interface', async () => {
    link = createTestLink();
    cli = startCli(['-e', `xdp:${link.rootIf} < @[ip.src] = count() >`]);
    await cli.waitFor('Attaching 1 probe...');
    expect(xdpAttached(link.rootIf)).toBe(true);
    cli.child.kill('SIGKILL');
    await cli.exited;
    // The link is released with the process's fds; give the kernel a moment to tear it down.
    for (let i = 0; i < 50 && xdpAttached(link.rootIf); i++) await sleep(20);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });

  it('SIGTERM prints the maps and detaches', async () => {
    link = createTestLink();
    cli = startCli(['-e', `xdp:${link.rootIf} < @[ip.src] = count() >`]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdpFromNamespace(link, link.rootAddr, 9, 3);
    await sleep(300);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain(`@[${link.nsAddr}]: 3\n`);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });
});

describe('errors are messages', () => {
  it('an unknown interface names the ones that exist', async () => {
    const { code, stderr } = await runCli(['-e', 'xdp:nosuchif0 < @[ip.src] = count() >']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:1: error\[NT0202\]: no interface named 'nosuchif0'/);
    expect(stderr).toContain('interfaces here: ');
    expect(stderr).toContain('lo');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a syntax error points at the line and column', async () => {
    const { code, stderr } = await runCli(['-e', 'xdp:lo < @[ip.src] = count( >']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:\d+: error\[NT01\d\d\]: /);
    expect(stderr).toContain('xdp:lo < @[ip.src] = count( >\n');
    expect(stderr).toMatch(/\n\s*~+/);
  });

  it('without privileges it names the missing capabilities', async () => {
    // setpriv drops every capability while staying uid 0, which is what "not privileged" means to the kernel.
    const { spawnSync } = await import('node:child_process');
    const { NETTRACE_BIN } = await import('../helpers/cli.js');
    const r = spawnSync('setpriv', ['--inh-caps=-all', '--bounding-set=-all', process.execPath, NETTRACE_BIN, '-e', 'xdp:lo < @[ip.src] = count() >'], { encoding: 'utf8' });
    expect(r.error, 'setpriv (util-linux) is needed for this test').toBeUndefined();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[NT0501]');
    expect(r.stderr).toContain('CAP_BPF');
    expect(r.stderr).toContain('CAP_PERFMON');
    expect(r.stderr).toContain('CAP_NET_ADMIN');
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('with CAP_BPF and CAP_PERFMON but not CAP_NET_ADMIN it names only what is missing', async () => {
    const { spawnSync } = await import('node:child_process');
    const { NETTRACE_BIN } = await import('../helpers/cli.js');
    // uid 0 keeps exactly the capabilities of its bounding set.
    const r = spawnSync('setpriv', ['--inh-caps=-all', '--bounding-set=-all,+bpf,+perfmon', process.execPath, NETTRACE_BIN, '-e', 'xdp:lo < @[ip.src] = count() >'], { encoding: 'utf8' });
    expect(r.error, 'setpriv (util-linux) is needed for this test').toBeUndefined();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[NT0501]: nettrace needs CAP_NET_ADMIN');
    expect(r.stderr).not.toContain('CAP_BPF');
    expect(r.stderr).not.toContain('CAP_PERFMON');
  });
});
