// Byte offsets (`ip[6:2]`, `tcp[13]`, `eth[12:2]`, `pkt[N:M]`, `payload[N:M]`) and the inner
// VLAN tag (`vlan[1]`) on crafted frames replayed over a veth (namespace and links `npk*`),
// at xdp and at tc ingress, where the kernel has moved the outer tag into the metadata.
// Every frame's source MAC ends in its number, so `pkt[11]` names the frame in each key.
// Where tcpdump can say the same thing, its count on the same file is the expectation too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { tcpdumpCount, writePcap } from '../pcap/pcap-file.js';
import { createReplayLink, type ReplayLink } from '../pcap/replay-link.js';

const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
const ascii = (s: string) => Buffer.from(s, 'latin1');

/** Ethernet from 02:..:00:<id>, with VLAN tags ([TPID, id], outside in), then `body`. */
function frame(id: number, tags: [number, number][], etherType: number, body: Buffer): Buffer {
  const fields = [...tags.map(([tpid]) => tpid), etherType];
  const parts = [Buffer.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, id]), u16(fields[0]!)];
  tags.forEach(([, vid], i) => parts.push(u16(vid), u16(fields[i + 1]!)));
  return Buffer.concat([...parts, body]);
}

function ipv4(proto: number, flagsAndOffset: number, rest: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + rest.length, 2);
  h.writeUInt16BE(0x1234, 4);
  h.writeUInt16BE(flagsAndOffset, 6);
  h[8] = 64;
  h[9] = proto;
  Buffer.from([198, 18, 0, 1, 198, 18, 0, 2]).copy(h, 12);
  return Buffer.concat([h, rest]);
}

function tcp(flags: number, optionWords: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20 + optionWords * 4, 1); // options: NOPs
  h.writeUInt16BE(1234, 0);
  h.writeUInt16BE(80, 2);
  h.writeUInt32BE(1, 4);
  h.writeUInt32BE(0, 8);
  h[12] = (5 + optionWords) << 4;
  h[13] = flags;
  h.writeUInt16BE(1000, 14);
  h.writeUInt32BE(0, 16);
  return Buffer.concat([h, payload]);
}

const udp = (payload: Buffer) => Buffer.concat([u16(5000), u16(53), u16(8 + payload.length), u16(0), payload]);

function ipv6Udp(payload: Buffer): Buffer {
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60012345, 0); // version 6, flow label 0x12345
  h.writeUInt16BE(8 + payload.length, 4);
  h[6] = 17;
  h[7] = 64;
  h[8] = 0xfd;
  h[39 - 16] = 1;
  h[24] = 0xfd;
  h[39] = 2;
  return Buffer.concat([h, udp(payload)]);
}

const DF = 0x4000;
const FRAMES = [
  frame(1, [], 0x0800, ipv4(6, DF, tcp(0x02, 0, ascii('ABCD')))), // a SYN with 4 bytes of payload
  frame(2, [[0x8100, 100]], 0x0800, ipv4(17, 0, udp(ascii('DNSQ')))), // one tag
  frame(3, [[0x88a8, 21], [0x8100, 22]], 0x0800, ipv4(17, 0, udp(ascii('QINQ')))), // 802.1ad QinQ
  frame(4, [], 0x86dd, ipv6Udp(ascii('V6V6'))),
  frame(5, [], 0x0800, ipv4(1, 0, Buffer.from([8, 0, 0, 0, 0, 0x77, 0, 5]))), // echo request, id 0x77, seq 5
  frame(6, [], 0x0800, ipv4(6, DF, tcp(0x18, 3, ascii('WXYZ')))), // PSH|ACK, 12 bytes of options
  frame(7, [], 0x0800, ipv4(6, DF, tcp(0x02, 0, Buffer.alloc(0)).subarray(0, 10))), // 10 bytes of TCP
  frame(8, [[0x8100, 11], [0x8100, 12], [0x8100, 13]], 0x0800, ipv4(17, 0, udp(ascii('3TAG')))), // three tags
];

/** nettrace's expression and tcpdump's filter for the same question. */
const FILTERS: Array<[string, string]> = [
  ['!vlan && tcp[13] == 2', 'tcp[13] = 2'],
  // (libpcap's udp[] is IPv4 only; nettrace's follows UDP behind IPv6 too: see udp[4, ...] below.)
  ['!vlan && ip6[42:2] == 53', 'ip6[42:2] = 53'],
  ['eth[12:2] == 0x8100', 'ether[12:2] = 0x8100'],
  ['!vlan && (ip[6:2] & 0x1fff) == 0 && ip[9] == 6', 'ip[6:2] & 0x1fff = 0 and ip[9] = 6'],
  ['!vlan && icmp[0] == 8', 'icmp[0] = 8'],
  ['!vlan && ip6[6] == 17', 'ip6[6] = 17'],
  ['vlan && !vlan[1] && ip[9] == 17', 'vlan and ip[9] = 17'],
  ['!vlan && tcp[(tcp[12] >> 4) * 4 : 4] == 0x41424344', 'tcp[((tcp[12] & 0xf0) >> 2):4] = 0x41424344'],
  ['pkt[11] == 3', 'ether[11] = 3'],
];

/**
 * The statements, in programs small enough for the verifier: every computed offset
 * (payload[], a variable offset) multiplies the paths it follows through the prologue.
 */
const PROGRAMS: string[][] = [
  [
    'l2[pkt[11], eth[12:2], pkt[14:2], vlan[1]]',
    'tags[pkt[11], vlan.id, vlan[0].id, vlan[1].tpid, vlan[1].id, vlan[1].pcp]',
    'ip[pkt[11], ip[6:2], ip[9], ip[12:4] == ip.src, ip[16:4]]',
    'tcp[pkt[11], tcp[0:2], tcp[12] >> 4, tcp[13]]',
    'udp[pkt[11], udp[2:2], udp[4:2]]',
    'icmp[pkt[11], icmp[0], icmp[4:2], icmp[6:2]]',
    'ip6[pkt[11], ip6[0:4] & 0xfffff, ip6[6]]',
    'far[pkt[11], pkt[2000] == 0, ip[60000:4] == 1]',
    ...FILTERS.slice(0, 7).map(([expr], i) => `f[${i}, ${expr}]`),
  ],
  [
    'cut[pkt[11], tcp[0:2], tcp[13] == 2, payload[0] == 0x41]',
    'payload[pkt[11], payload[0:4], payload[2:2], payload[3]]',
    'nopayload[pkt[11], payload[100] == 0]',
  ],
  [
    'var[pkt[11], tcp[(tcp[12] >> 4) * 4 : 4]]',
    ...FILTERS.slice(7).map(([expr], i) => `f[${i + 7}, ${expr}]`),
  ],
];

const body = (p: string, statements: string[]) => `{\n${statements.map((x) => `  @${p}_${x} = count();`).join('\n')}\n}`;

const EXPECTED = [
  'l2[1, 2048, 17664, false]: 1', 'l2[2, 33024, 100, false]: 1', 'l2[3, 34984, 21, true]: 1', 'l2[4, 34525, 24577, false]: 1',
  'l2[5, 2048, 17664, false]: 1', 'l2[6, 2048, 17664, false]: 1', 'l2[7, 2048, 17664, false]: 1', 'l2[8, 33024, 11, true]: 1',
  // vlan[0] is vlan; vlan[1] the inner tag, at tc the first tag left in the data.
  'tags[3, 21, 21, vlan, 22, 0]: 1', 'tags[8, 11, 11, vlan, 12, 0]: 1',
  'ip[1, 16384, 6, true, 3323068418]: 1', 'ip[2, 0, 17, true, 3323068418]: 1', 'ip[3, 0, 17, true, 3323068418]: 1',
  'ip[5, 0, 1, true, 3323068418]: 1', 'ip[6, 16384, 6, true, 3323068418]: 1', 'ip[7, 16384, 6, true, 3323068418]: 1',
  // Frame 7 has 10 bytes of TCP: tcp[0:2] is there, tcp[13] and the payload are not.
  'tcp[1, 1234, 5, 2]: 1', 'tcp[6, 1234, 8, 24]: 1',
  'cut[1, 1234, true, true]: 1', 'cut[6, 1234, false, false]: 1', 'cut[7, 1234, false, false]: 1',
  'payload[1, 1094861636, 17220, 68]: 1', 'payload[2, 1145983825, 21329, 81]: 1', 'payload[3, 1363758673, 20049, 81]: 1',
  'payload[4, 1446401590, 22070, 54]: 1', 'payload[6, 1465407834, 22874, 90]: 1',
  'udp[2, 53, 12]: 1', 'udp[3, 53, 12]: 1', 'udp[4, 53, 12]: 1',
  'icmp[5, 8, 119, 5]: 1',
  'ip6[4, 74565, 17]: 1',
  'var[1, 1094861636]: 1', 'var[6, 1465407834]: 1',
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => [`far[${n}, false, false]: 1`, `nopayload[${n}, false]: 1`]),
];
/** How many of the frames each of FILTERS selects. */
const EXPECTED_MATCHES = [1, 1, 2, 3, 1, 1, 1, 1, 1];

let dir: string | undefined;
let link: ReplayLink | undefined;
let cli: RunningCli | undefined;

afterAll(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('byte offsets and vlan[1] at xdp and tc ingress', () => {
  it('read the same bytes as tcpdump on crafted frames, at both hooks', { timeout: 120_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'npk-offsets-'));
    const file = join(dir, 'frames.pcap');
    writeFileSync(file, writePcap(FRAMES));
    link = createReplayLink(dir, 'npk');
    const lines: string[] = [];
    for (const statements of PROGRAMS) {
      cli = startCli(['--no-cache', '-e', `xdp:${link.rootIf} ${body('x', statements)}\ntc:${link.rootIf}:ingress ${body('t', statements)}`]);
      await cli.waitFor('Attaching 2 probes...', 60_000);
      link.replay(file);
      await sleep(500);
      cli.child.kill('SIGINT');
      expect(await cli.exited, cli.stderr()).toBe(0);
      lines.push(...cli.stdout().split('\n').filter((x) => x.startsWith('@')));
    }
    const of = (p: string) => lines.filter((x) => x.startsWith(`@${p}_`)).map((x) => x.slice(p.length + 2));
    for (const p of ['x', 't']) {
      expect(of(p).filter((x) => !x.startsWith('f[')).sort(), p).toEqual([...EXPECTED].sort());
      const matches = FILTERS.map((_, i) => Number(of(p).find((x) => x.startsWith(`f[${i}, true]: `))?.split(': ')[1] ?? 0));
      const seen = FILTERS.map((_, i) => of(p).filter((x) => x.startsWith(`f[${i}, `)).reduce((n, x) => n + Number(x.split(': ')[1]), 0));
      expect(matches, p).toEqual(EXPECTED_MATCHES);
      expect(seen, p).toEqual(FILTERS.map(() => FRAMES.length));
    }
    expect(FILTERS.map(([, filter]) => tcpdumpCount(file, filter))).toEqual(EXPECTED_MATCHES);
  });
});
