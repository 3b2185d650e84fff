// pcap(SKB, "filter") in a probe that has an sk_buff pointer: tracepoint:net:netif_receive_skb
// reads the frame through (struct sk_buff *)args.skbaddr. Crafted frames (no VLAN tags:
// the kernel moves a tag into the sk_buff's metadata before this tracepoint, so the
// linear bytes no longer hold it) are replayed over the test's own veth (prefix nsk);
// for every filter the tracepoint must count what xdp counts on the same interface, and
// what `tcpdump -r` counts on the same file. The same IP packets written into a tun
// device (no link-layer header) take the raw-IP translation, checked against `tcpdump -r`
// on a raw-IP (LINKTYPE_RAW) file of them.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { requireRoot } from '../../helpers/netns.js';
import { tcpdumpCount, writePcap } from './pcap-file.js';
import { createReplayLink, type ReplayLink } from './replay-link.js';

const SRC_MAC = [0x02, 0, 0, 0, 0, 0x01];
const DST_MAC = [0x02, 0, 0, 0, 0, 0x02];
const V4_SRC = [198, 18, 0, 1];
const V4_DST = [198, 18, 0, 2];

function ether(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...DST_MAC, ...SRC_MAC, type >> 8, type & 0xff]), body]);
}

function ipv4(proto: number, payload: Buffer, o: { options?: number; fragment?: number } = {}): Buffer {
  const options = Buffer.alloc((o.options ?? 0) * 4, 1);
  const h = Buffer.alloc(20);
  h[0] = 0x40 | (5 + (o.options ?? 0));
  h.writeUInt16BE(20 + options.length + payload.length, 2);
  h.writeUInt16BE(o.fragment ?? 0, 6);
  h[8] = 64;
  h[9] = proto;
  Buffer.from([...V4_SRC, ...V4_DST]).copy(h, 12);
  return ether(0x0800, Buffer.concat([h, options, payload]));
}

function ipv6(next: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(payload.length, 4);
  h[6] = next;
  h[7] = 64;
  h[15] = 1;
  h[31] = 2;
  h[0x08] = 0xfd;
  h[0x18] = 0xfd;
  return ether(0x86dd, Buffer.concat([h, payload]));
}

function udp(sport: number, dport: number, payloadBytes: number): Buffer {
  const h = Buffer.alloc(8 + payloadBytes, 0x78);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(8 + payloadBytes, 4);
  h.writeUInt16BE(0, 6);
  return h;
}

function tcp(sport: number, dport: number, flags: number, payloadBytes = 0): Buffer {
  const h = Buffer.alloc(20 + payloadBytes, 0x41);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(1000 + sport, 4);
  h.writeUInt32BE(0, 8);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  h.writeUInt32BE(0, 16);
  return h;
}

function icmpEcho(seq: number): Buffer {
  const h = Buffer.alloc(16, 0);
  h[0] = 8;
  h.writeUInt16BE(seq, 6);
  return h;
}

function arp(): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt16BE(1, 0);
  b.writeUInt16BE(0x0800, 2);
  b[4] = 6;
  b[5] = 4;
  b.writeUInt16BE(1, 6);
  Buffer.from([...SRC_MAC, ...V4_SRC, 0, 0, 0, 0, 0, 0, ...V4_DST]).copy(b, 8);
  return ether(0x0806, b);
}

const SYN = 0x02;
const PSH_ACK = 0x18;
// Every TCP segment has SYN or PSH, so GRO (veth runs it when XDP is attached) merges none.
const FRAMES: Buffer[] = [
  ...[1, 2, 3, 4, 5].map((i) => ipv4(17, udp(40000 + i, 7000, 16))),
  ...[1, 2, 3].map((i) => ipv4(17, udp(41000 + i, 7001, 300))),
  ...[1, 2, 3, 4].map((i) => ipv4(1, icmpEcho(i))),
  ipv4(6, tcp(50001, 80, SYN)),
  ipv4(6, tcp(50002, 80, SYN)),
  ipv4(6, tcp(50003, 443, PSH_ACK, 40)),
  ipv6(17, udp(42001, 7000, 16)),
  ipv6(17, udp(42002, 7000, 16)),
  ipv6(6, tcp(50004, 80, SYN)),
  arp(),
  arp(),
  ipv4(17, udp(43000, 53, 20), { options: 1 }),
  ipv4(17, udp(43001, 9000, 64), { fragment: 0x2000 }),
];

const FILTERS = [
  'udp dst port 7000',
  'udp and greater 300',
  'icmp[icmptype] == icmp-echo',
  'tcp[tcpflags] & tcp-syn != 0',
  'host 198.18.0.2 and not udp',
  'ip6 and udp',
  'ip6 protochain 6',
  'arp',
  'len < 80 and (tcp or udp)',
  'ip[0] & 0xf > 5',
  'ip[6:2] & 0x3fff != 0',
  'ether src 02:00:00:00:00:01 and tcp port 443',
];

let dir: string | undefined;
let link: ReplayLink | undefined;
let cli: RunningCli | undefined;

afterAll(() => {
  if (cli && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pcap(SKB, "filter") through an sk_buff pointer', () => {
  it('counts at tracepoint:net:netif_receive_skb what xdp and tcpdump -r count on the same frames', { timeout: 120_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'nsk-'));
    const file = join(dir, 'frames.pcap');
    writeFileSync(file, writePcap(FRAMES));
    link = createReplayLink(dir, 'nsk');
    const l = link;
    const xdp = FILTERS.map((filter, i) => `if (pcap("${filter}")) { @x${i} = count() }`).join('\n');
    const skb = FILTERS.map((filter, i) => `if (pcap((struct sk_buff *)args.skbaddr, "${filter}")) { @t${i} = count() }`).join('\n');
    const all = 'if (pcap((struct sk_buff *)args.skbaddr, "")) { @tall = count() }';
    const program = `xdp:${l.rootIf} { ${xdp} }\ntracepoint:net:netif_receive_skb /args.name == "${l.rootIf}"/ { ${skb}\n${all} }`;
    cli = startCli(['--no-cache', '-e', program]);
    await cli.waitFor('Attaching 2 probes...', 60_000);
    l.replay(file);
    await sleep(500);
    cli.child.kill('SIGINT');
    expect(await cli.exited, cli.stderr()).toBe(0);
    const counts = new Map<string, number>();
    for (const line of cli.stdout().split('\n')) {
      const m = /^@(\w+): (\d+)$/.exec(line.trim());
      if (m) counts.set(m[1], Number(m[2]));
    }
    // Every frame reached the tracepoint, each once (an empty filter matches all).
    expect(counts.get('tall') ?? 0).toBe(FRAMES.length);
    const got = FILTERS.map((filter, i) => ({ filter, xdp: counts.get(`x${i}`) ?? 0, skb: counts.get(`t${i}`) ?? 0 }));
    const want = FILTERS.map((filter) => {
      const n = tcpdumpCount(file, filter);
      return { filter, xdp: n, skb: n };
    });
    expect(got).toEqual(want);
    // The filters are not vacuous: each selects some frames and leaves others.
    for (const { filter, xdp: n } of want) {
      expect(n, filter).toBeGreaterThan(0);
      expect(n, filter).toBeLessThan(FRAMES.length);
    }
    expect(want[0].skb).toBe(7); // 5 over IPv4, 2 over IPv6
  });
});

// Creates tun device IFNAME (no packet-info header), brings it up, writes the packets of a
// classic pcap file into it (each arrives as a received raw IP packet), and closes it.
const TUN_WRITER = `
import fcntl, os, struct, subprocess, sys, time
ifname, path = sys.argv[1], sys.argv[2]
fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', ifname.encode(), 0x0001 | 0x1000))  # TUNSETIFF, IFF_TUN | IFF_NO_PI
subprocess.run(['ip', 'link', 'set', ifname, 'up'], check=True)
data = open(path, 'rb').read()
at = 24
while at + 16 <= len(data):
    caplen = struct.unpack_from('<I', data, at + 8)[0]
    os.write(fd, data[at + 16:at + 16 + caplen])
    at += 16 + caplen
time.sleep(0.2)
os.close(fd)
`;
const LINKTYPE_RAW = 101;

const RAW_FILTERS = [
  'udp dst port 7000',
  'tcp[tcpflags] & tcp-syn != 0',
  'icmp[icmptype] == icmp-echo',
  'ip[0] & 0xf > 5',
  'ip6 and udp',
  'ip[6:2] & 0x3fff != 0',
  'len < 60 and udp',
];

describe('pcap(SKB, "filter") on a packet without a link-layer header', () => {
  it('runs the raw-IP translation for a tun device, as tcpdump -r does on a raw-IP file', { timeout: 120_000 }, async () => {
    requireRoot();
    const work = mkdtempSync(join(tmpdir(), 'nsk-tun-'));
    const id = randomBytes(3).toString('hex');
    const ns = `nsk-${id}`;
    const tun = `nsk${id}t`;
    let run: RunningCli | undefined;
    try {
      const packets = FRAMES.filter((f) => f.readUInt16BE(12) !== 0x0806).map((f) => f.subarray(14));
      const file = join(work, 'packets.pcap');
      const pcap = writePcap(packets);
      pcap.writeUInt32LE(LINKTYPE_RAW, 20);
      writeFileSync(file, pcap);
      writeFileSync(join(work, 'tun.py'), TUN_WRITER);
      execFileSync('ip', ['netns', 'add', ns]);
      const filters = [...RAW_FILTERS, 'ether src 02:00:00:00:00:01 or arp'];
      const body = filters.map((filter, i) => `if (pcap((struct sk_buff *)args.skbaddr, "${filter}")) { @r${i} = count() }`).join('\n');
      run = startCli(['--no-cache', '-e', `tracepoint:net:netif_receive_skb /args.name == "${tun}"/ { ${body}\n@rall = count() }`]);
      await run.waitFor('Attaching 1 probe', 60_000);
      execFileSync('ip', ['netns', 'exec', ns, 'python3', join(work, 'tun.py'), tun, file], { stdio: ['ignore', 'pipe', 'pipe'] });
      await sleep(300);
      run.child.kill('SIGINT');
      expect(await run.exited, run.stderr()).toBe(0);
      const counts = new Map<string, number>();
      for (const line of run.stdout().split('\n')) {
        const m = /^@(\w+): (\d+)$/.exec(line.trim());
        if (m) counts.set(m[1], Number(m[2]));
      }
      expect(counts.get('rall') ?? 0).toBe(packets.length);
      const got = RAW_FILTERS.map((filter, i) => ({ filter, count: counts.get(`r${i}`) ?? 0 }));
      const want = RAW_FILTERS.map((filter) => ({ filter, count: tcpdumpCount(file, filter) }));
      expect(got).toEqual(want);
      expect(want.every((w) => w.count > 0 && w.count < packets.length)).toBe(true);
      // A filter on the link layer (which libpcap cannot compile for raw IP) matches no such packet.
      expect(counts.get(`r${RAW_FILTERS.length}`) ?? 0).toBe(0);
    } finally {
      if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
