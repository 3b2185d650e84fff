// Raw tracepoints (tp_btf): kernel structs read through BTF-typed arguments, the packet
// model through an sk_buff, bitfields, enums by name, casts. Exact values of the test's
// own traffic; every program filters on the test's interfaces or addresses.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';
import { randomPort, tcpClientFromNamespace, tcpServer, traceDuring, udpFromNamespace } from './traffic.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

/** The /30's broadcast address: the root and namespace ends are .1 and .2 of it. */
function broadcastOf(addr: string): string {
  const parts = addr.split('.').map(Number);
  parts[3] = (parts[3] & ~3) | 3;
  return parts.join('.');
}

describe('rawtracepoint struct access', () => {
  it('args.skb->len, a pointer chain to the device name, and the packet model through the skb', async () => {
    link = createTestLink();
    const { nsIf, nsAddr, rootAddr } = link;
    const port = randomPort();
    const program = `rawtracepoint:net_dev_queue /args.skb->dev->name == "${nsIf}"/ {
      @[args.skb->len, args.skb->dev->name, args.skb.ip.src, args.skb.ip.dst, args.skb.ip.proto, args.skb.udp.dport, args.skb.udp.len] = count()
    }`;
    const { stdout, code } = await traceDuring(['-e', program], () => udpFromNamespace(link!, rootAddr, port, 7, { payload: 10 }));
    expect(code).toBe(0);
    // On the transmit path skb->data is the Ethernet header: len is the whole frame.
    expect(stdout).toContain(`@[52, ${nsIf}, ${nsAddr}, ${rootAddr}, udp, ${port}, 18]: 7\n`);
  });

  it('a bitfield (skb->pkt_type) and the drop reason as an enum name', async () => {
    link = createTestLink();
    const { rootIf, nsAddr, rootAddr } = link;
    const broadcast = broadcastOf(rootAddr);
    const program = `rawtracepoint:kfree_skb /args.skb->dev->name == "${rootIf}" && args.skb.ip.src == ${nsAddr}/ {
      @[args.skb->pkt_type, args.skb.ip.dst, args.reason] = count()
    }`;
    const { stdout } = await traceDuring(['-e', program], () => {
      udpFromNamespace(link!, rootAddr, randomPort(), 4);
      udpFromNamespace(link!, broadcast, randomPort(), 3, { broadcast: true });
    });
    // PACKET_HOST (0) for unicast to a closed port, PACKET_BROADCAST (1) for the broadcasts.
    expect(stdout).toContain(`@[0, ${rootAddr}, NO_SOCKET]: 4\n`);
    expect(stdout).toMatch(new RegExp(`@\\[1, ${broadcast.replace(/\./g, '\\.')}, [A-Z_]+\\]: 3\\n`));
  });

  it('a socket: __be32/__be16 members in host order, names for int states', async () => {
    link = createTestLink();
    const port = randomPort();
    const server = await tcpServer(link.rootAddr, port);
    let clientPort = 0;
    try {
      const c = 'args.sk->__sk_common';
      const program = `rawtracepoint:inet_sock_set_state /${c}.skc_daddr == ${link.rootAddr} && ${c}.skc_dport == ${port}/ {
        @[${c}.skc_rcv_saddr, ${c}.skc_num, ${c}.skc_family, args.oldstate, args.newstate] = count()
      }`;
      const { stdout } = await traceDuring(['-e', program], async () => {
        clientPort = await tcpClientFromNamespace(link!, link!.rootAddr, port);
      }, 500);
      expect(stdout).toContain(`@[${link.nsAddr}, ${clientPort}, 2, TCP_SYN_SENT, TCP_ESTABLISHED]: 1\n`);
      expect(stdout).toContain(`@[${link.nsAddr}, ${clientPort}, 2, TCP_ESTABLISHED, TCP_FIN_WAIT1]: 1\n`);
      // The local port (skc_num) is 0 before connect() binds one and after the time-wait
      // socket took it over: the kernel's own values, read as they are.
      expect(stdout).toContain(`@[${link.nsAddr}, 0, 2, TCP_CLOSE, TCP_SYN_SENT]: 1\n`);
    } finally {
      server.close();
    }
  });

  it('a cast gives a classic tracepoint\'s pointer its struct: (struct sk_buff *)args.skbaddr', async () => {
    link = createTestLink();
    const { rootAddr, nsAddr } = link;
    const port = randomPort();
    const program = `tracepoint:skb:kfree_skb /((struct sk_buff *)args.skbaddr).ip.src == ${nsAddr}/ {
      $skb = (struct sk_buff *)args.skbaddr;
      @[$skb.ip.src, $skb.udp.dport, $skb->len, args.reason] = count()
    }`;
    const { stdout } = await traceDuring(['-e', program], () => udpFromNamespace(link!, rootAddr, port, 5, { payload: 3 }));
    // Dropped by UDP after the IP header was pulled: len counts UDP header and payload.
    expect(stdout).toContain(`@[${nsAddr}, ${port}, 11, NO_SOCKET]: 5\n`);
  });
});

describe('rawtracepoint diagnostics', () => {
  it('an unknown field names the struct and the closest fields', async () => {
    const { code, stderr } = await runCli(['-e', 'rawtracepoint:kfree_skb { @[args.skb->lenn] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:39: error\[NT0302\]: struct sk_buff has no field 'lenn'/);
    expect(stderr).toMatch(/hint: closest fields: len\b/);
  });

  it('a struct is not a value', async () => {
    const { code, stderr } = await runCli(['-e', 'rawtracepoint:inet_sock_set_state { @[args.sk->__sk_common] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0305]: '__sk_common' is struct sock_common: read one of its fields");
    expect(stderr).toContain('skc_daddr');
  });

  it('an unknown raw tracepoint: did you mean', async () => {
    const { code, stderr } = await runCli(['-e', 'rawtracepoint:kfree_skbs { @ = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0204]: the kernel has no raw tracepoint 'kfree_skbs'");
    expect(stderr).toContain("hint: did you mean 'rawtracepoint:kfree_skb'?");
  });

  it('a cast to a struct the kernel does not have', async () => {
    const { code, stderr } = await runCli(['-e', 'tracepoint:skb:kfree_skb { @[((struct sk_bufff *)args.skbaddr)->len] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain('error[NT0301]: this kernel has no struct sk_bufff');
  });
});
