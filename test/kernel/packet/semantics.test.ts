// How packet expressions behave, run on hand-built frames with BPF_PROG_TEST_RUN:
// tcpdump's semantics for absent headers, short-circuit logic, address literals and
// networks, MAC comparisons, the direction builtin, and the verdict each action returns.
import { afterEach, describe, expect, it } from 'vitest';
import { requireRoot } from '../../helpers/netns.js';
import { DST_MAC, ethernet, icmp, ipv4, ipv6, tcp, udp } from './frames.js';
import { loadForTestRun, TEST_IFACE, type TestRunProgram } from './test-run.js';

const XDP = `xdp:${TEST_IFACE}`;
const UDP4 = ethernet(ipv4({ src: '10.1.2.3', dst: '198.18.0.2' }, udp(4000, 53)));
const TCP4 = ethernet(ipv4({ src: '192.168.1.9', dst: '198.18.0.2' }, tcp({ sport: 5000, dport: 80, seq: 1, ack: 0, flags: 0x02, win: 100 })));
const UDP6 = ethernet(ipv6({ src: 'fe80::1', dst: 'fd00::2' }, udp(4000, 53)));
const ICMP4 = ethernet(ipv4({ src: '10.9.9.9', dst: '198.18.0.2' }, icmp(8, 0)));

let program: TestRunProgram | undefined;
afterEach(() => {
  program?.close();
  program = undefined;
});

/** Runs `source` once on each frame and returns its maps as { name: { key: count } }. */
function counts(source: string, frames: Buffer[]): Record<string, Record<string, number>> {
  requireRoot();
  program = loadForTestRun(source);
  for (const frame of frames) program.run(frame);
  const out: Record<string, Record<string, number>> = {};
  for (const [name, entries] of program.maps()) out[name] = Object.fromEntries([...entries].map(([k, v]) => [k, Number(v)]));
  return out;
}

describe('absent headers (tcpdump semantics)', () => {
  it('a comparison on a field the packet lacks is false, and its negation true', () => {
    const result = counts(
      `${XDP} {
        @port80[tcp.dport == 80] = count();
        @not80[!(tcp.dport == 80)] = count();
        @ne80[tcp.dport != 80] = count();
      }`,
      [UDP4, UDP4, TCP4],
    );
    expect(result).toEqual({
      port80: { false: 2, true: 1 },
      not80: { true: 2, false: 1 },
      // `!=` is a comparison too: false when there is no TCP header, as in tcpdump.
      ne80: { false: 3 },
    });
  });

  it('UDP traffic counts 0 under the predicate tcp.dport == 80', () => {
    const result = counts(`${XDP} /tcp.dport == 80/ { @[ip.src] = count() }`, [UDP4, UDP4, UDP4, UDP6]);
    expect(result).toEqual({ '': {} });
  });

  it('a statement reading a missing field does not run; the next one does', () => {
    const result = counts(`${XDP} { @tcp_ports[tcp.dport] = count(); @all = count() }`, [UDP4, TCP4, UDP6]);
    expect(result).toEqual({ tcp_ports: { '80': 1 }, all: { '': 3 } });
  });

  it('an if whose condition reads a missing field runs neither branch', () => {
    const result = counts(`${XDP} { if (tcp.dport) { @then = count() } else { @else = count() } }`, [UDP4]);
    expect(result).toEqual({ then: {}, else: {} });
  });

  it('&& and || evaluate their right side only when needed', () => {
    const result = counts(
      `${XDP} {
        @dns[udp && udp.dport == 53] = count();
        @port[tcp ? tcp.dport : udp.dport] = count();
        @either[tcp.dport == 80 || udp.dport == 53] = count();
        @lazy[!tcp || tcp.flags == 2] = count();
      }`,
      [UDP4, TCP4, ICMP4],
    );
    expect(result).toEqual({
      dns: { true: 1, false: 2 },
      // ICMP has neither: the ternary's taken branch reads udp.dport, so that packet skips.
      port: { '53': 1, '80': 1 },
      either: { true: 2, false: 1 },
      lazy: { true: 3 },
    });
  });

  it('header booleans', () => {
    const result = counts(`${XDP} { @[ip, ip6, tcp, udp, icmp] = count() }`, [UDP4, TCP4, UDP6, ICMP4]);
    expect(result).toEqual({
      '': {
        'true, false, false, true, false': 1,
        'true, false, true, false, false': 1,
        'false, true, false, true, false': 1,
        'true, false, false, false, true': 1,
      },
    });
  });
});

describe('address literals', () => {
  it('ip.src in an IPv4 network, ip6.src in an IPv6 prefix', () => {
    const result = counts(
      `${XDP} {
        @ten[ip.src in 10.0.0.0/8] = count();
        @exact[ip.src in 10.1.2.3/32] = count();
        @all4[ip.src in 0.0.0.0/0] = count();
        @linklocal[ip6.src in fe80::/10] = count();
        @ula[ip6.dst in fd00::/8] = count();
      }`,
      [UDP4, TCP4, UDP6, ICMP4],
    );
    // A comparison on a header the packet lacks is false, so every packet is counted.
    expect(result).toEqual({
      ten: { true: 2, false: 2 },
      exact: { true: 1, false: 3 },
      all4: { true: 3, false: 1 },
      linklocal: { true: 1, false: 3 },
      ula: { true: 1, false: 3 },
    });
  });

  it('equality with IPv4, IPv6 and MAC literals', () => {
    const mac = DST_MAC.map((b) => b.toString(16).padStart(2, '0')).join(':');
    const result = counts(
      `${XDP} {
        @v4[ip.src == 10.1.2.3] = count();
        @v6[ip6.src == fe80::1] = count();
        @v6ne[ip6.src != fe80::2] = count();
        @mac[eth.dst == ${mac}] = count();
        @othermac[eth.src == ff:ff:ff:ff:ff:ff] = count();
      }`,
      [UDP4, UDP6],
    );
    expect(result).toEqual({
      v4: { true: 1, false: 1 },
      v6: { true: 1, false: 1 },
      v6ne: { true: 1, false: 1 },
      mac: { true: 2 },
      othermac: { false: 2 },
    });
  });
});

describe('metadata builtins', () => {
  it('direction is fixed per hook; pkt.len and ifindex come from the context', () => {
    const result = counts(
      `xdp:${TEST_IFACE}, tc:${TEST_IFACE} { @[direction] = count() }
       tc:${TEST_IFACE}:ingress { @len[pkt.len] = count(); @mark[mark] = count(); @ifindex[ifindex] = count() }`,
      [UDP4],
    );
    // A test run's packet arrives on the loopback device, ifindex 1.
    expect(result).toEqual({ '': { ingress: 2, egress: 1 }, len: { [String(UDP4.length)]: 1 }, mark: { '0': 1 }, ifindex: { '1': 1 } });
  });
});

describe('actions return their verdicts', () => {
  it('xdp: drop 1, tx 3, pass and no action 2', () => {
    requireRoot();
    program = loadForTestRun(`${XDP} /udp/ { drop } ${XDP} /tcp/ { tx } ${XDP} /icmp/ { pass }`);
    const arp = ethernet({ type: 0x0806, bytes: Buffer.alloc(28) });
    expect([UDP4, TCP4, ICMP4, arp].map((frame) => program!.run(frame))).toEqual([[1], [3], [2], [2]]);
  });

  it('blocks on one XDP interface are one program, run in order until an action', () => {
    const result = counts(`${XDP} { @first = count() } ${XDP} /udp/ { drop } ${XDP} { @last[ip.proto] = count() }`, [UDP4, TCP4, ICMP4]);
    expect(program!.run(UDP4)).toEqual([1]); // one program for the three blocks
    expect(result).toEqual({ first: { '': 3 }, last: { tcp: 1, icmp: 1 } });
  });

  it('tc: drop is TCX_DROP (2); pass and no action are TCX_NEXT (-1)', () => {
    requireRoot();
    program = loadForTestRun(`tc:${TEST_IFACE}:ingress /udp/ { drop } tc:${TEST_IFACE}:egress { pass } tc:${TEST_IFACE}:egress { @n = count() }`);
    expect(program.run(UDP4)).toEqual([2, -1, -1]);
  });

  it('an action ends the program: statements after it do not run', () => {
    const result = counts(`${XDP} { @before = count(); if (udp) { drop } @after = count() }`, [UDP4, TCP4]);
    expect(result).toEqual({ before: { '': 2 }, after: { '': 1 } });
  });
});
