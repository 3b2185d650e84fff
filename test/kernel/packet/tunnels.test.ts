// Tunnelled packets (`inner`, `inner.ip.src`, `inner.tcp.dport`, ...) behind VXLAN, Geneve
// and GRE, on crafted frames replayed over a veth (namespace and links `npk*`), at xdp and
// at tc ingress. Geneve questions are also put to tcpdump, whose `geneve` keyword steps
// into the tunnel the same way (libpcap 1.10 has no `vxlan`, and no inner GRE keyword).
// Every frame's outer source MAC ends in its number, so `pkt[11]` names it in each key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { tcpdumpCount, writePcap } from '../pcap/pcap-file.js';
import { createReplayLink, type ReplayLink } from '../pcap/replay-link.js';

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const v4 = (a: string) => Buffer.from(a.split('.').map(Number));

function eth(macLast: number, tags: number[], etherType: number, body: Buffer): Buffer {
  const parts = [Buffer.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, macLast])];
  for (const id of tags) parts.push(u16(0x8100), u16(id));
  return Buffer.concat([...parts, u16(etherType), body]);
}

function ipv4(src: string, dst: string, proto: number, rest: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + rest.length, 2);
  h[8] = 64;
  h[9] = proto;
  v4(src).copy(h, 12);
  v4(dst).copy(h, 16);
  return Buffer.concat([h, rest]);
}

function ipv6(last: number, nextHeader: number, rest: Buffer): Buffer {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(rest.length, 4);
  h[6] = nextHeader;
  h[7] = 64;
  h[8] = 0xfd;
  h[23] = last;
  h[24] = 0xfd;
  h[39] = 0x99;
  return Buffer.concat([h, rest]);
}

function tcp(sport: number, dport: number): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h[12] = 0x50;
  h[13] = 0x02;
  return h;
}

const udp = (sport: number, dport: number, payload: Buffer = Buffer.alloc(4)) =>
  Buffer.concat([u16(sport), u16(dport), u16(8 + payload.length), u16(0), payload]);
const vxlan = (inner: Buffer) => udp(40000, 4789, Buffer.concat([Buffer.from([0x08, 0, 0, 0, 0, 0, 42, 0]), inner]));
/** Geneve with `optionWords` 4-byte words of options and the given protocol type. */
const geneve = (optionWords: number, protocolType: number, inner: Buffer) =>
  udp(40000, 6081, Buffer.concat([Buffer.from([optionWords, 0]), u16(protocolType), Buffer.from([0, 0, 42, 0]), Buffer.alloc(optionWords * 4), inner]));
/** GRE version 0 with the flags given (key and sequence add a word each). */
const gre = (flags: number, protocolType: number, inner: Buffer) => {
  const words = [0x8000, 0x2000, 0x1000].filter((f) => flags & f).length;
  return Buffer.concat([u16(flags), u16(protocolType), Buffer.alloc(words * 4, 7), inner]);
};

const OUTER_SRC = '198.18.0.1';
const OUTER_DST = '198.18.0.2';
const FRAMES = [
  eth(1, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 17, vxlan(eth(0xa1, [], 0x0800, ipv4('10.1.1.1', '10.2.2.2', 6, tcp(1111, 80)))))),
  eth(2, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 17, geneve(0, 0x6558, eth(0xa2, [], 0x0800, ipv4('10.1.1.3', '10.2.2.2', 17, udp(2222, 53)))))),
  eth(3, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 17, geneve(2, 0x0800, ipv4('10.1.1.4', '10.2.2.2', 6, tcp(3333, 443))))),
  eth(4, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 47, gre(0, 0x0800, ipv4('10.1.1.5', '10.2.2.2', 17, udp(4444, 53))))),
  eth(5, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 47, gre(0x3000, 0x6558, eth(0xa5, [7], 0x0800, ipv4('10.1.1.6', '10.2.2.2', 6, tcp(5555, 22)))))),
  eth(6, [], 0x86dd, ipv6(1, 47, gre(0x8000, 0x86dd, ipv6(6, 17, udp(6666, 53))))),
  eth(7, [100], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 17, vxlan(eth(0xa7, [], 0x0800, ipv4('10.1.1.7', '10.2.2.2', 6, tcp(7777, 80)))))),
  // A VXLAN header cut short, and a plain DNS packet: no inner packet.
  eth(8, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 17, vxlan(Buffer.alloc(0)).subarray(0, 12))),
  eth(9, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 17, udp(5353, 53))),
  // The inner frame cut inside its IPv4 header: inner.ip, but no inner.ip.src and no inner.tcp.
  eth(10, [], 0x0800, ipv4(OUTER_SRC, OUTER_DST, 17, vxlan(eth(0xaa, [], 0x0800, ipv4('10.1.1.9', '10.2.2.2', 6, tcp(1, 2)).subarray(0, 10))))),
];

/** nettrace's expression and tcpdump's filter for the same question (Geneve only). */
const FILTERS: Array<[string, string]> = [
  ['udp.dport == 6081 && inner.ip.src == 10.1.1.3', 'geneve and ip src 10.1.1.3'],
  ['udp.dport == 6081 && inner.tcp.dport == 443', 'geneve and tcp dst port 443'],
  ['udp.dport == 6081 && inner.udp', 'geneve and udp'],
  ['udp.dport == 6081 && inner.ip.dst in 10.2.0.0/16', 'geneve and dst net 10.2.0.0/16'],
];
const EXPECTED_MATCHES = [1, 1, 1, 2];

const STATEMENTS = [
  'in[pkt[11], inner, inner.eth, inner.ip, inner.ip6, inner.tcp, inner.udp]',
  'ip[pkt[11], inner.ip.src, inner.ip.dst, inner.ip.proto]',
  'tcp[pkt[11], inner.tcp.sport, inner.tcp.dport]',
  'udp[pkt[11], inner.udp.sport, inner.udp.dport]',
  'ip6[pkt[11], inner.ip6.src]',
  'eth[pkt[11], inner.eth.src]',
  'vlan[pkt[11], inner.vlan.id]',
  ...FILTERS.map(([expr], i) => `f[${i}, ${expr}]`),
];
const body = (p: string) => `{\n${STATEMENTS.map((x) => `  @${p}_${x} = count();`).join('\n')}\n}`;

const EXPECTED = [
  'in[1, true, true, true, false, true, false]: 1', 'ip[1, 10.1.1.1, 10.2.2.2, tcp]: 1', 'tcp[1, 1111, 80]: 1', 'eth[1, 02:00:00:00:00:a1]: 1',
  'in[2, true, true, true, false, false, true]: 1', 'ip[2, 10.1.1.3, 10.2.2.2, udp]: 1', 'udp[2, 2222, 53]: 1', 'eth[2, 02:00:00:00:00:a2]: 1',
  // Geneve and GRE carrying IP directly: no inner Ethernet header.
  'in[3, true, false, true, false, true, false]: 1', 'ip[3, 10.1.1.4, 10.2.2.2, tcp]: 1', 'tcp[3, 3333, 443]: 1',
  'in[4, true, false, true, false, false, true]: 1', 'ip[4, 10.1.1.5, 10.2.2.2, udp]: 1', 'udp[4, 4444, 53]: 1',
  // GRE with key and sequence words, Ethernet inside (0x6558) with a VLAN tag of its own.
  'in[5, true, true, true, false, true, false]: 1', 'ip[5, 10.1.1.6, 10.2.2.2, tcp]: 1', 'tcp[5, 5555, 22]: 1', 'eth[5, 02:00:00:00:00:a5]: 1', 'vlan[5, 7]: 1',
  // GRE with a checksum word over IPv6, IPv6 inside.
  'in[6, true, false, false, true, false, true]: 1', 'ip6[6, fd00::6]: 1', 'udp[6, 6666, 53]: 1',
  // VXLAN behind an outer VLAN tag (at tc in the metadata).
  'in[7, true, true, true, false, true, false]: 1', 'ip[7, 10.1.1.7, 10.2.2.2, tcp]: 1', 'tcp[7, 7777, 80]: 1', 'eth[7, 02:00:00:00:00:a7]: 1',
  'in[8, false, false, false, false, false, false]: 1',
  'in[9, false, false, false, false, false, false]: 1',
  'in[10, true, true, true, false, false, false]: 1', 'eth[10, 02:00:00:00:00:aa]: 1',
];

let dir: string | undefined;
let link: ReplayLink | undefined;
let cli: RunningCli | undefined;

afterAll(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tunnelled packets at xdp and tc ingress', () => {
  it('inner headers behind VXLAN, Geneve and GRE, the same at both hooks and as tcpdump for Geneve', { timeout: 120_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'npk-tunnels-'));
    const file = join(dir, 'frames.pcap');
    writeFileSync(file, writePcap(FRAMES));
    link = createReplayLink(dir, 'npk');
    cli = startCli(['--no-cache', '-e', `xdp:${link.rootIf} ${body('x')}\ntc:${link.rootIf}:ingress ${body('t')}`]);
    await cli.waitFor('Attaching 2 probes...', 60_000);
    link.replay(file);
    await sleep(500);
    cli.child.kill('SIGINT');
    expect(await cli.exited, cli.stderr()).toBe(0);
    const lines = cli.stdout().split('\n').filter((x) => x.startsWith('@'));
    const of = (p: string) => lines.filter((x) => x.startsWith(`@${p}_`)).map((x) => x.slice(p.length + 2));
    for (const p of ['x', 't']) {
      expect(of(p).filter((x) => !x.startsWith('f[')).sort(), p).toEqual([...EXPECTED].sort());
      const matches = FILTERS.map((_, i) => Number(of(p).find((x) => x.startsWith(`f[${i}, true]: `))?.split(': ')[1] ?? 0));
      expect(matches, p).toEqual(EXPECTED_MATCHES);
    }
    expect(FILTERS.map(([, filter]) => tcpdumpCount(file, filter))).toEqual(EXPECTED_MATCHES);
  });
});
