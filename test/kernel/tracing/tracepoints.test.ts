// Classic tracepoints end to end: the one-liner as a user types it, nettrace in the root
// namespace, traffic from the test's own namespace, exact counts of exact values.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';
import { randomPort, tcpClientFromNamespace, tcpServer, traceDuring, udpFromNamespace } from './traffic.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

/** Frame length of a UDP/IPv4 datagram with `payload` bytes: Ethernet 14 + IP 20 + UDP 8. */
const udpFrame = (payload: number) => 14 + 20 + 8 + payload;

describe('tracepoint args', () => {
  it('integers and __data_loc strings: net:net_dev_queue on the namespace end', async () => {
    link = createTestLink();
    const { nsIf } = link;
    const program = `tracepoint:net:net_dev_queue /args.name == "${nsIf}" && args.len == ${udpFrame(21)}/ { @[args.name, args.len] = count() }`;
    const { stdout, code } = await traceDuring(['-e', program], () => udpFromNamespace(link!, link!.rootAddr, randomPort(), 9, { payload: 21 }));
    expect(code).toBe(0);
    expect(stdout).toContain(`@[${nsIf}, ${udpFrame(21)}]: 9\n`);
  });

  it("args->NAME is args.NAME, as in bpftrace; t: is tracepoint:", async () => {
    link = createTestLink();
    const { nsIf } = link;
    const program = `t:net:net_dev_queue /args->name == "${nsIf}" && args->len == ${udpFrame(5)}/ { @[args->len] = count() }`;
    const { stdout } = await traceDuring(['-e', program], () => udpFromNamespace(link!, link!.rootAddr, randomPort(), 4, { payload: 5 }));
    expect(stdout).toContain(`@[${udpFrame(5)}]: 4\n`);
  });

  it('a wildcard attaches every match, each reading its own layout of the same fields', async () => {
    // net_dev_start_xmit keeps name at offset 8 and len at 36; net_dev_xmit at 24 and 16.
    link = createTestLink();
    const { nsIf } = link;
    const program = `tracepoint:net:net_dev_*xmit /args.name == "${nsIf}" && args.len == ${udpFrame(33)}/ { @[args.name] = count() }`;
    const { stdout, stderr } = await traceDuring(['-e', program, '-v'], () => udpFromNamespace(link!, link!.rootAddr, randomPort(), 6, { payload: 33 }));
    expect(stdout).toContain('Attaching 2 probes...');
    expect(stderr).toContain('attached tracepoint:net:net_dev_start_xmit');
    expect(stderr).toContain('attached tracepoint:net:net_dev_xmit');
    expect(stdout).toContain(`@[${nsIf}]: 12\n`);
  });

  it('addresses, ports and state names of a real TCP connection (sock:inet_sock_set_state)', async () => {
    link = createTestLink();
    const port = randomPort();
    const server = await tcpServer(link.rootAddr, port);
    let clientPort = 0;
    try {
      const program = `tracepoint:sock:inet_sock_set_state /args.daddr == ${link.rootAddr} && args.dport == ${port}/ { @[args.saddr, args.sport, args.daddr, args.dport, args.oldstate, args.newstate] = count() }`;
      const { stdout } = await traceDuring(['-e', program], async () => {
        clientPort = await tcpClientFromNamespace(link!, link!.rootAddr, port);
      }, 500);
      const prefix = `@[${link.nsAddr}, ${clientPort}, ${link.rootAddr}, ${port}`;
      // The client's side of the handshake and of its active close. connect() moves the
      // socket to SYN_SENT before it picks a source port: sport is still 0 then.
      expect(stdout).toContain(`@[${link.nsAddr}, 0, ${link.rootAddr}, ${port}, TCP_CLOSE, TCP_SYN_SENT]: 1\n`);
      expect(stdout).toContain(`${prefix}, TCP_SYN_SENT, TCP_ESTABLISHED]: 1\n`);
      expect(stdout).toContain(`${prefix}, TCP_ESTABLISHED, TCP_FIN_WAIT1]: 1\n`);
      expect(stdout).toContain(`${prefix}, TCP_FIN_WAIT1, TCP_FIN_WAIT2]: 1\n`);
      expect(stdout).toContain(`${prefix}, TCP_FIN_WAIT2, TCP_CLOSE]: 1\n`);
    } finally {
      server.close();
    }
  });

  it('several probe kinds share one map: xdp and a tracepoint count into @', async () => {
    link = createTestLink();
    const { rootIf, nsIf } = link;
    const program = `xdp:${rootIf} /udp/ { @[1] = count() } tracepoint:net:net_dev_queue /args.name == "${nsIf}" && args.len == ${udpFrame(8)}/ { @[2] = count() }`;
    const { stdout } = await traceDuring(['-e', program], () => udpFromNamespace(link!, link!.rootAddr, randomPort(), 5, { payload: 8 }));
    expect(stdout).toContain('Attaching 2 probes...');
    expect(stdout).toContain('@[1]: 5\n');
    expect(stdout).toContain('@[2]: 5\n');
  });
});

describe('tracepoint diagnostics', () => {
  it('an unknown tracepoint: did you mean', async () => {
    const { code, stderr } = await runCli(['-e', 'tracepoint:skb:kfree_skbb { @ = count() }']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:1: error\[NT0204\]: the kernel has no tracepoint 'skb:kfree_skbb'/);
    expect(stderr).toContain("hint: did you mean 'tracepoint:skb:kfree_skb'?");
  });

  it('a wildcard that matches nothing', async () => {
    const { code, stderr } = await runCli(['-e', 'tracepoint:skb:nothing_*_here { @ = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0204]: no tracepoint matches 'skb:nothing_*_here'");
  });

  it('an unknown field names the tracepoint and the closest fields', async () => {
    const { code, stderr } = await runCli(['-e', 'tracepoint:skb:kfree_skb { @[args.reasn] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:35: error\[NT0302\]: tracepoint:skb:kfree_skb has no argument 'reasn'/);
    expect(stderr).toContain('hint: closest arguments: reason');
    expect(stderr).toContain('hint: arguments of tracepoint:skb:kfree_skb: skbaddr, location, rx_sk, protocol, reason');
  });

  it('args outside a probe that has them', async () => {
    const { code, stderr } = await runCli(['-e', 'xdp:lo { @[args.x] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0306]: 'args' cannot be read in xdp:lo");
  });
});
