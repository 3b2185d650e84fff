// Every packet field on known packets, on xdp and tc alike: one program counts each field
// in a map of its own (`@ip_src[ip.src] = count()`), runs once on a hand-built frame with
// BPF_PROG_TEST_RUN, and each map must hold exactly the expected printed key. Fields of
// headers the frame lacks must leave their maps empty (tcpdump's semantics).
import { afterEach, describe, expect, it } from 'vitest';
import { HEADERS } from '../../../src/packet/model.js';
import { requireRoot } from '../../helpers/netns.js';
import { ethernet, icmp, ipv4, ipv6, tcp, udp } from './frames.js';
import { loadForTestRun, TEST_IFACE, type TestRunProgram } from './test-run.js';

const FIELDS = [
  'pkt.len',
  ...Object.entries(HEADERS).flatMap(([h, spec]) => Object.keys(spec.fields).map((f) => `${h}.${f}`)),
];
const PRESENCE = Object.keys(HEADERS);

/**
 * The programs that count every field, 30 statements each: about 45 such statements in
 * one function outgrow the 512-byte BPF stack.
 */
function everyFieldPrograms(probe: string): string[] {
  const counts = FIELDS.map((f) => `@${f.replace('.', '_')}[${f}] = count();`);
  const presence = PRESENCE.map((h) => `@has_${h}[${h}] = count();`);
  const statements = [...counts, ...presence];
  const programs: string[] = [];
  for (let i = 0; i < statements.length; i += 30) programs.push(`${probe} {\n  ${statements.slice(i, i + 30).join('\n  ')}\n}`);
  return programs;
}

let program: TestRunProgram | undefined;
afterEach(() => {
  program?.close();
  program = undefined;
});

/** What each field's map holds after one run: the printed key, or undefined when empty. */
function fieldsOf(probe: string, frame: Buffer): Record<string, string | undefined> {
  requireRoot();
  const out: Record<string, string | undefined> = {};
  for (const source of everyFieldPrograms(probe)) {
    program = loadForTestRun(source);
    program.run(frame);
    for (const [name, entries] of program.maps()) {
      expect([...entries.values()].every((n) => n === 1n), `${name} counted once`).toBe(true);
      expect(entries.size, `${name} has at most one key`).toBeLessThanOrEqual(1);
      out[name] = [...entries.keys()][0];
    }
    program.close();
    program = undefined;
  }
  return out;
}

/** Presence maps of headers the frame does not have hold `false`. */
function presence(present: string[]): Record<string, string> {
  return Object.fromEntries(PRESENCE.map((h) => [`has_${h}`, present.includes(h) ? 'true' : 'false']));
}

const ETH = { eth_src: '02:00:00:aa:bb:01', eth_dst: '02:00:00:aa:bb:02' };

for (const probe of [`xdp:${TEST_IFACE}`, `tc:${TEST_IFACE}:ingress`, `tc:${TEST_IFACE}:egress`]) {
  describe(`every field on ${probe}`, () => {
    it('UDP over IPv4', () => {
      const frame = ethernet(ipv4({ src: '198.18.0.1', dst: '198.18.0.2', ttl: 61, tos: 0x2e, id: 0x1234 }, udp(40000, 53, Buffer.alloc(30, 1))));
      expect(fieldsOf(probe, frame)).toEqual({
        pkt_len: String(frame.length), // 14 + 20 + 8 + 30 = 72
        ...ETH,
        eth_proto: 'ipv4',
        ip_src: '198.18.0.1', ip_dst: '198.18.0.2', ip_ttl: '61', ip_tos: '46', ip_id: '4660', ip_len: '58', ip_proto: 'udp',
        ip_version: '4', ip_ihl: '5', ip_df: '0', ip_mf: '0', ip_frag_off: '0', ip_checksum: '0', // frames.ts leaves checksums 0
        udp_sport: '40000', udp_dport: '53', udp_len: '38', udp_checksum: '0',
        vlan_id: undefined, vlan_pcp: undefined, vlan_tpid: undefined,
        arp_op: undefined, arp_sha: undefined, arp_spa: undefined, arp_tha: undefined, arp_tpa: undefined,
        ip6_len: undefined, ip6_nexthdr: undefined, ip6_hoplimit: undefined, ip6_src: undefined, ip6_dst: undefined, ip6_tclass: undefined, ip6_flowlabel: undefined,
        tcp_sport: undefined, tcp_dport: undefined, tcp_seq: undefined, tcp_ack: undefined, tcp_flags: undefined, tcp_win: undefined,
        tcp_doff: undefined, tcp_checksum: undefined, tcp_urg: undefined,
        icmp_type: undefined, icmp_code: undefined, icmp_id: undefined, icmp_seq: undefined, icmp6_type: undefined, icmp6_code: undefined,
        ...presence(['eth', 'ip', 'udp']),
      });
    });

    it('TCP over IPv4 with options (ihl 7)', () => {
      const segment = tcp({ sport: 443, dport: 51000, seq: 0xdeadbeef, ack: 0x01020304, flags: 0x12, win: 65535 });
      const frame = ethernet(ipv4({ src: '10.1.2.3', dst: '192.168.7.9', options: [0x94, 0x04, 0, 0, 1, 1, 1, 0] }, segment));
      const f = fieldsOf(probe, frame);
      expect(f).toMatchObject({
        ip_src: '10.1.2.3', ip_dst: '192.168.7.9', ip_proto: 'tcp', ip_len: '48',
        tcp_sport: '443', tcp_dport: '51000', tcp_seq: String(0xdeadbeef), tcp_ack: String(0x01020304), tcp_flags: 'SYN|ACK', tcp_win: '65535',
        ip_ihl: '7', tcp_doff: '5', tcp_checksum: '0', tcp_urg: '0',
        udp_dport: undefined, has_tcp: 'true', has_udp: 'false',
      });
    });

    it('ICMP echo request', () => {
      const frame = ethernet(ipv4({ src: '198.18.0.2', dst: '198.18.0.1' }, icmp(8, 0)));
      expect(fieldsOf(probe, frame)).toMatchObject({ ip_proto: 'icmp', icmp_type: '8', icmp_code: '0', icmp_id: '4660', icmp_seq: '1', has_icmp: 'true', has_icmp6: 'false', tcp_dport: undefined });
    });

    it('a later IPv4 fragment has ip but no transport header', () => {
      const frame = ethernet(ipv4({ src: '198.18.0.1', dst: '198.18.0.2', fragmentOffset: 185 }, udp(1, 2)));
      expect(fieldsOf(probe, frame)).toMatchObject({ ip_src: '198.18.0.1', ip_frag_off: '185', ip_mf: '0', ip_df: '0', has_ip: 'true', has_udp: 'false', udp_dport: undefined });
    });

    it('UDP over IPv6', () => {
      const frame = ethernet(ipv6({ src: 'fd00::1', dst: 'fd00:0:0:1::beef', hoplimit: 7 }, udp(5353, 5354)));
      expect(fieldsOf(probe, frame)).toMatchObject({
        eth_proto: 'ipv6', ip6_src: 'fd00::1', ip6_dst: 'fd00:0:0:1::beef', ip6_hoplimit: '7', ip6_nexthdr: 'udp', ip6_len: '12', ip6_tclass: '0', ip6_flowlabel: '0',
        udp_sport: '5353', udp_dport: '5354', ip_src: undefined, ...presence(['eth', 'ip6', 'udp']),
      });
    });

    it('TCP behind IPv6 hop-by-hop, routing and destination options', () => {
      const segment = tcp({ sport: 22, dport: 60000, seq: 1, ack: 2, flags: 0x18, win: 512 });
      const frame = ethernet(ipv6({ src: '2001:db8::1', dst: '2001:db8::2', extensions: [{ type: 0, length: 8 }, { type: 43, length: 24 }, { type: 60, length: 16 }] }, segment));
      expect(fieldsOf(probe, frame)).toMatchObject({ ip6_nexthdr: 'hopopts', tcp_sport: '22', tcp_dport: '60000', tcp_flags: 'PSH|ACK', has_tcp: 'true' });
    });

    it('IPv6 fragments: the first has its transport header, a later one has none', () => {
      const first = ethernet(ipv6({ src: 'fd00::1', dst: 'fd00::2', extensions: [{ type: 44, fragmentOffset: 0 }] }, udp(7, 8)));
      expect(fieldsOf(probe, first)).toMatchObject({ ip6_nexthdr: 'fragment', udp_dport: '8', has_udp: 'true' });
      const later = ethernet(ipv6({ src: 'fd00::1', dst: 'fd00::2', extensions: [{ type: 44, fragmentOffset: 100 }] }, udp(7, 8)));
      expect(fieldsOf(probe, later)).toMatchObject({ ip6_src: 'fd00::1', udp_dport: undefined, has_udp: 'false', has_ip6: 'true' });
    });

    it('more IPv6 extension headers than the walk follows: no transport header', () => {
      const extensions = Array.from({ length: 5 }, () => ({ type: 60, length: 8 }));
      const frame = ethernet(ipv6({ src: 'fd00::1', dst: 'fd00::2', extensions }, udp(7, 8)));
      expect(fieldsOf(probe, frame)).toMatchObject({ ip6_nexthdr: 'dstopts', has_udp: 'false', udp_dport: undefined });
    });

    it('ICMPv6 echo request', () => {
      const frame = ethernet(ipv6({ src: 'fd00::1', dst: 'fd00::2' }, icmp(128, 0, 58)));
      expect(fieldsOf(probe, frame)).toMatchObject({ ip6_nexthdr: 'icmpv6', icmp6_type: '128', icmp6_code: '0', has_icmp6: 'true', has_icmp: 'false', icmp_type: undefined });
    });

    it('a VLAN tag in the data', () => {
      const frame = ethernet(ipv4({ src: '198.18.0.1', dst: '198.18.0.2' }, udp(1000, 2000)), { vlans: [{ id: 5, pcp: 3 }] });
      expect(fieldsOf(probe, frame)).toMatchObject({ eth_proto: 'ipv4', vlan_id: '5', vlan_pcp: '3', vlan_tpid: 'vlan', ip_src: '198.18.0.1', udp_dport: '2000', has_vlan: 'true' });
    });

    it('QinQ: two tags, vlan is the outer one', () => {
      const frame = ethernet(ipv4({ src: '198.18.0.1', dst: '198.18.0.2' }, udp(1000, 2000)), { vlans: [{ id: 100 }, { id: 7 }] });
      expect(fieldsOf(probe, frame)).toMatchObject({ vlan_id: '100', eth_proto: 'ipv4', udp_dport: '2000' });
    });

    it('ARP: its own header, no IP', () => {
      const bytes = Buffer.from([0, 1, 8, 0, 6, 4, 0, 2, 2, 0, 0, 0xaa, 0xbb, 0x01, 198, 18, 0, 1, 2, 0, 0, 0xaa, 0xbb, 0x02, 198, 18, 0, 2]);
      expect(fieldsOf(probe, ethernet({ type: 0x0806, bytes }))).toMatchObject({
        eth_proto: 'arp', arp_op: '2', arp_sha: '02:00:00:aa:bb:01', arp_spa: '198.18.0.1', arp_tha: '02:00:00:aa:bb:02', arp_tpa: '198.18.0.2',
        ip_src: undefined, ...presence(['eth', 'arp']),
      });
    });

    it('a field cut off by the end of the frame is missing; the fields before it are not', () => {
      // 14 + 20 + 2 bytes: udp.sport is there, udp.dport is not.
      const whole = ethernet(ipv4({ src: '198.18.0.1', dst: '198.18.0.2' }, udp(1, 2)));
      expect(fieldsOf(probe, whole.subarray(0, 36))).toMatchObject({ pkt_len: '36', has_udp: 'true', udp_sport: '1', udp_dport: undefined, udp_len: undefined });
    });

  });
}

// tc's test run refuses an IPv4 frame whose IP header is cut short (it pulls the header
// into the skb first), so only XDP can be shown one.
describe('a truncated network header', () => {
  it('a frame cut short inside the IPv4 header has ip (one rule: present from its first byte), the fields it holds, and nothing behind', () => {
    // 14 + 10 bytes of IPv4: ttl (byte 8) and proto (byte 9) are there, the addresses are not.
    const whole = ethernet(ipv4({ src: '198.18.0.1', dst: '198.18.0.2', ttl: 61 }, udp(1, 2)));
    expect(fieldsOf(`xdp:${TEST_IFACE}`, whole.subarray(0, 24))).toMatchObject({
      pkt_len: '24', eth_proto: 'ipv4', has_ip: 'true', ip_ttl: '61', ip_proto: 'udp', ip_src: undefined, has_udp: 'false', udp_sport: undefined,
    });
  });
});
