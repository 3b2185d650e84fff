// The packet model on real traffic, through the CLI exactly as a user runs it: UDP, a real
// TCP connection, ICMP, IPv6 and a VLAN tag between the test's own namespace and the root
// side of its veth pair, on xdp and on both tc hooks. Every assertion is an exact line of
// nettrace's output.
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import {
  createTestLink, enableIpv6, interfaceIndex, macAddress, pingFromNamespace, sendUdp, sendVlanTaggedUdp, tcpExchangeWithNamespace,
  udpSink, type TestLink,
} from '../../helpers/netns.js';

let link: TestLink | undefined;
let cli: RunningCli | undefined;
const cleanups: (() => void)[] = [];

afterEach(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  for (const c of cleanups.splice(0)) c();
  link?.destroy();
  link = undefined;
  cli = undefined;
});

/** Starts nettrace on `program`, runs `traffic`, stops it with SIGINT and returns its output. */
async function trace(program: string, traffic: () => void | Promise<void>, probes = 1): Promise<string> {
  cli = startCli(['-e', program]);
  await cli.waitFor(`Attaching ${probes} probe${probes === 1 ? '' : 's'}...`);
  await traffic();
  await sleep(300); // the last packets through the veth's NAPI poll
  cli.child.kill('SIGINT');
  expect(await cli.exited, cli.stderr()).toBe(0);
  return cli.stdout();
}

/** The map lines of the output, without the header and blank lines, sorted. */
function lines(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('@'))
    .sort();
}

describe('UDP over IPv4', () => {
  it('xdp and tc ingress read the same fields; tc egress sees none of the incoming datagrams', async () => {
    link = createTestLink();
    const l = link;
    const sink = await udpSink(l.rootAddr, 9999);
    cleanups.push(() => sink.close());
    const fields = 'eth.src, eth.dst, eth.proto, ip.src, ip.dst, ip.ttl, ip.len, ip.proto, udp.sport, udp.dport, udp.len, pkt.len';
    const out = await trace(
      `xdp:${l.rootIf} /udp.dport == 9999/ { @xdp[${fields}] = count() }
       tc:${l.rootIf}:ingress /udp.dport == 9999/ { @ingress[${fields}] = count() }
       tc:${l.rootIf}:egress /udp.dport == 9999/ { @egress[ip.src] = count() }`,
      () => sendUdp(l, { dest: l.rootAddr, port: 9999, count: 7, payloadBytes: 100, sourcePort: 40123 }),
      3,
    );
    // 14 + 20 + 8 + 100 = 142 bytes of frame, 128 of IP, 108 of UDP.
    const values = `${macAddress(l.nsIf, l.ns)}, ${macAddress(l.rootIf)}, ipv4, ${l.nsAddr}, ${l.rootAddr}, 64, 128, udp, 40123, 9999, 108, 142`;
    expect(lines(out)).toEqual([`@ingress[${values}]: 7`, `@xdp[${values}]: 7`]);
    expect(sink.received()).toBe(7); // watching changed nothing
  });

  it('absent headers: UDP traffic counts 0 under tcp.dport == 80', async () => {
    link = createTestLink();
    const l = link;
    const out = await trace(
      `xdp:${l.rootIf} /tcp.dport == 80/ { @tcp80 = count() } xdp:${l.rootIf} /udp.dport == 80/ { @udp80 = count() }`,
      () => sendUdp(l, { dest: l.rootAddr, port: 80, count: 9 }),
    );
    // A keyless map that never fired prints 0, as bpftrace prints it.
    expect(lines(out)).toEqual(['@tcp80: 0', '@udp80: 9']);
  });
});

describe('TCP with a real connection', () => {
  it('the handshake and the close as tc sees them in both directions', async () => {
    link = createTestLink();
    const l = link;
    let clientPort = 0;
    const out = await trace(
      `tc:${l.rootIf} /tcp.sport == 8080 || tcp.dport == 8080/ {
         if (tcp.flags & 2) { @syn[direction, ip.src, tcp.sport, ip.dst, tcp.dport, tcp.flags] = count() }
         if (tcp.flags == 2) { @isn[tcp.seq] = count() }
         if (tcp.flags == 18) { @isn_acked[tcp.ack - 1] = count() }
         if (tcp.flags & 1) { @fin[direction] = count() }
       }`,
      async () => {
        clientPort = await tcpExchangeWithNamespace(l, 8080, 3000, 5000);
      },
      2,
    );
    expect(lines(out).filter((x) => x.startsWith('@syn'))).toEqual([
      `@syn[egress, ${l.rootAddr}, ${clientPort}, ${l.nsAddr}, 8080, SYN]: 1`,
      `@syn[ingress, ${l.nsAddr}, 8080, ${l.rootAddr}, ${clientPort}, SYN|ACK]: 1`,
    ]);
    // The SYN|ACK acknowledges the SYN's sequence number plus one.
    const isn = /@isn\[(\d+)\]: 1/.exec(out)?.[1];
    expect(isn).toBeDefined();
    expect(out).toContain(`@isn_acked[${isn}]: 1\n`);
    expect(lines(out).filter((x) => x.startsWith('@fin'))).toEqual(['@fin[egress]: 1', '@fin[ingress]: 1']);
  });
});

describe('ICMP', () => {
  it('ping: echo requests at xdp, echo replies at tc egress', async () => {
    link = createTestLink();
    const l = link;
    let received = 0;
    const out = await trace(
      `xdp:${l.rootIf} /icmp/ { @requests[ip.src, icmp.type, icmp.code] = count() }
       tc:${l.rootIf}:egress /icmp/ { @replies[ip.dst, icmp.type, icmp.code] = count() }`,
      () => {
        received = pingFromNamespace(l, l.rootAddr, 4);
      },
      2,
    );
    expect(received).toBe(4);
    expect(lines(out)).toEqual([`@replies[${l.nsAddr}, 0, 0]: 4`, `@requests[${l.nsAddr}, 8, 0]: 4`]);
  });
});

describe('IPv6', () => {
  it('UDP and ICMPv6 echo over IPv6 on xdp and tc', async () => {
    link = createTestLink();
    const l = link;
    const v6 = enableIpv6(l);
    const out = await trace(
      `xdp:${l.rootIf} /ip6.src == ${v6.nsAddr} && udp/ { @udp[ip6.src, ip6.dst, ip6.nexthdr, ip6.hoplimit, ip6.len, udp.dport] = count() }
       xdp:${l.rootIf} /ip6.src in ${v6.nsAddr}/128 && icmp6.type == 128/ { @echo[ip6.src, icmp6.type, icmp6.code] = count() }
       tc:${l.rootIf}:egress /ip6.dst == ${v6.nsAddr} && icmp6.type == 129/ { @reply[ip6.dst, ip6.nexthdr] = count() }`,
      () => {
        sendUdp(l, { dest: v6.rootAddr, port: 5300, count: 5, payloadBytes: 32 });
        expect(pingFromNamespace(l, v6.rootAddr, 3)).toBe(3);
      },
      2, // the two xdp blocks share one program: one XDP program per interface
    );
    expect(lines(out)).toEqual([
      `@echo[${v6.nsAddr}, 128, 0]: 3`,
      `@reply[${v6.nsAddr}, icmpv6]: 3`,
      `@udp[${v6.nsAddr}, ${v6.rootAddr}, udp, 64, 40, 5300]: 5`,
    ]);
  });
});

describe('a VLAN tag', () => {
  it('xdp finds the tag in the frame; tc ingress gets it from skb->vlan_tci, 4 bytes shorter', async () => {
    link = createTestLink();
    const l = link;
    // Addresses inside the tagged frames only; the root side has no VLAN 5 interface (this
    // kernel has no 8021q), so the stack drops them after tc: both hooks still see them.
    const out = await trace(
      `xdp:${l.rootIf} /vlan/ { @xdp[vlan.id, vlan.pcp, eth.proto, ip.src, udp.dport, pkt.len] = count() }
       tc:${l.rootIf}:ingress /vlan/ { @tc[vlan.id, vlan.pcp, eth.proto, ip.src, udp.dport, pkt.len] = count() }
       tc:${l.rootIf}:ingress /!vlan && ip.src == 198.51.100.7/ { @untagged = count() }`,
      () => sendVlanTaggedUdp(l, { id: 5, pcp: 6, src: '198.51.100.7', dst: '198.51.100.8', port: 7777, count: 6 }),
      3,
    );
    // The frame: 14 + 4 (tag) + 20 + 8 + 16 = 62 bytes.
    expect(lines(out)).toEqual([
      '@tc[5, 6, ipv4, 198.51.100.7, 7777, 58]: 6',
      '@untagged: 0', // no tagged frame reached tc without its tag
      '@xdp[5, 6, ipv4, 198.51.100.7, 7777, 62]: 6',
    ]);
  });
});

describe('metadata', () => {
  it('ifindex is the interface the probe is on', async () => {
    link = createTestLink();
    const l = link;
    const out = await trace(`xdp:${l.rootIf}, tc:${l.rootIf}:ingress /udp.dport == 4444/ { @[direction, ifindex] = count() }`, () =>
      sendUdp(l, { dest: l.rootAddr, port: 4444, count: 3 }),
      2,
    );
    expect(lines(out)).toEqual([`@[ingress, ${interfaceIndex(l.rootIf)}]: 6`]);
  });
});
