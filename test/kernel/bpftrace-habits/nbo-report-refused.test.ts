// -k: each map update the kernel refuses is reported as it happens, where it is in the
// program, as bpftrace -k warns; with --json-compat bpftrace as bpftrace's helper_error
// lines, byte for byte (bpftrace's map size set to the same 2 keys with
// BPFTRACE_MAP_KEYS_MAX). Needs bpftrace (bench/setup.sh); without it the test says so.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, requireRoot, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
let cli: RunningCli | undefined;

afterEach(() => {
  if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  cli = undefined;
  link?.destroy();
  link = undefined;
});

// @c[1] counts twice, so no two keys tie (bpftrace prints ties in hash order).
const PROGRAM = 'BEGIN { @[1]=1; @[2]=2; @[3]=3; @c[1] = count(); @c[1] = count(); @c[2] = count(); @c[3] = count(); exit() }';

describe('-k', () => {
  it('reports each refused update at its place; the end-of-run NT0507 stays', async () => {
    requireRoot();
    const { code, stdout, stderr } = await runCli(['-k', '--map-entries', '2', '-e', PROGRAM]);
    expect([code, stdout]).toEqual([0, 'Attaching 1 probe...\n\n\n@[1]: 1\n@[2]: 2\n@c[2]: 1\n@c[1]: 2\n']);
    expect(stderr).toBe(
      '1:25: warning[NT0591]: Failed to map_update_elem: Argument list too long (-7): @ was not updated\n' +
        '1:92: warning[NT0591]: Failed to map_update_elem: Argument list too long (-7): @c was not updated\n' +
        'warning[NT0507]: @ was full (2 entries): 1 update was dropped\nhint: raise the limit of every map: --map-entries 1024\n\n' +
        'warning[NT0507]: @c was full (2 entries): 1 update was dropped\nhint: raise the limit of every map: --map-entries 1024\n',
    );
    // Without -k only the end-of-run count.
    const quiet = await runCli(['--map-entries', '2', '-e', PROGRAM]);
    expect(quiet.stderr).not.toContain('NT0591');
    expect(quiet.stderr).toContain('warning[NT0507]: @ was full (2 entries): 1 update was dropped');
  });

  it('with --json-compat bpftrace: the helper_error lines bpftrace -k -f json writes', async () => {
    requireRoot();
    if (spawnSync('sh', ['-c', 'command -v bpftrace']).status !== 0) throw new Error('bpftrace is not installed: run bench/setup.sh (this test compares nettrace with it)');
    const bpftrace = spawnSync('bpftrace', ['-k', '-f', 'json', '-e', PROGRAM], { encoding: 'utf8', env: { ...process.env, BPFTRACE_MAP_KEYS_MAX: '2' }, stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
    expect(bpftrace.stdout).toContain('{"type": "helper_error", "helper": "map_update_elem", "retcode": -7, "line": 1, "col": 92}\n');
    const { code, stdout } = await runCli(['-k', '--map-entries', '2', '--json-compat', 'bpftrace', '-e', PROGRAM]);
    expect([code, stdout]).toEqual([0, bpftrace.stdout]);
  });

  it('as packets come: each datagram whose length finds the map full, once per datagram', async () => {
    link = createTestLink('nbo');
    cli = startCli(['-k', '--map-entries', '4', '-e', `xdp:${link.rootIf} /udp/ { @len[pkt.len] = count() }`]);
    await cli.waitFor('Attaching 1 probe...');
    // Six lengths, two datagrams each, one length after the other: 52..55 fill the map,
    // 56 and 57 are refused twice each.
    for (let payload = 10; payload <= 15; payload++) sendUdpFromNamespace(link, link.rootAddr, 9, 2, payload);
    await sleep(500);
    const refusal = `1:${'xdp:'.length + link.rootIf.length + ' /udp/ { '.length + '@len[pkt.len] = '.length + 1}: warning[NT0591]: Failed to map_update_elem: Argument list too long (-7): @len was not updated\n`;
    // Reported while the run goes on, before Ctrl-C.
    expect(cli.stderr()).toBe(refusal.repeat(4));
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toBe('Attaching 1 probe...\n\n\n@len[52]: 2\n@len[53]: 2\n@len[54]: 2\n@len[55]: 2\n');
    expect(cli.stderr()).toBe(refusal.repeat(4) + 'warning[NT0507]: @len was full (4 entries): 4 updates were dropped\nhint: raise the limit of every map: --map-entries 1024\n');
  });

  // -kk in bpftrace: a kernel read that fails. nettrace reads through pointers with
  // bpf_probe_read_kernel, which refuses an address below the kernel's with -ERANGE
  // (bpftrace 0.17's bpf_probe_read says -EFAULT there); both name the helper probe_read.
  const BAD_READ = 'BEGIN { printf("%d\\n", ((struct sk_buff *)8)->len); exit() }';

  it('reports a kernel read through a bad pointer at the reading expression; the value reads as 0', async () => {
    requireRoot();
    const { code, stdout, stderr } = await runCli(['-k', '-e', BAD_READ]);
    expect([code, stdout]).toEqual([0, 'Attaching 1 probe...\n0\n\n\n']);
    expect(stderr).toBe('1:24: warning[NT0591]: Failed to probe_read: Numerical result out of range (-34): the value reads as 0\n');
    const json = await runCli(['-k', '-f', 'json', '-e', BAD_READ]);
    expect(json.stdout.split('\n')).toContain('{"type":"helper_error","helper":"probe_read","retcode":-34,"line":1,"col":24}');
    const compat = await runCli(['-k', '--json-compat', 'bpftrace', '-e', BAD_READ]);
    expect(compat.stdout.split('\n')).toContain('{"type": "helper_error", "helper": "probe_read", "retcode": -34, "line": 1, "col": 24}');
    // Without -k the read is as quiet as before.
    const quiet = await runCli(['-e', BAD_READ]);
    expect([quiet.stdout, quiet.stderr]).toEqual(['Attaching 1 probe...\n0\n\n\n', '']);
  });

  it('reports nothing for reads that succeed: an skb read per received datagram', async () => {
    link = createTestLink('nbo');
    const ifindex = Number(readFileSync(`/sys/class/net/${link.rootIf}/ifindex`, 'utf8'));
    cli = startCli(['-k', '-e', `tracepoint:net:netif_receive_skb /((struct sk_buff *)args.skbaddr)->dev->ifindex == ${ifindex}/ { @len[((struct sk_buff *)args.skbaddr)->len] = count() }`]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdpFromNamespace(link, link.rootAddr, 9, 3, 100);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    // 3 datagrams of 100 bytes of payload: 128 bytes from the IP header on, each (the
    // link's ARP packets, 28 bytes, come too, as many as the neighbour code sends).
    expect(cli.stdout()).toContain('\n@len[128]: 3\n');
    expect(cli.stderr()).toBe('');
  });
});
