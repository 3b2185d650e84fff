// A deterministic corpus of varied Ethernet frames for the pcap-filter differential test:
// the same seed always gives the same frames, byte for byte. It mixes what filters
// disagree on: IPv4 with options and fragments, IPv6 extension-header chains, one to
// three VLAN tags (0x8100, 0x88a8, 0x9100), frames cut short anywhere after the Ethernet
// header, malformed headers (bad IHL, wrong version, lengths that lie), ARP, LLDP, other
// EtherTypes, and jumbo frames. Checksums are random: nothing on the path checks them,
// and wrong ones keep GRO from merging TCP segments at the veth.

/** xorshift32: small, fast, and the same everywhere. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

const MACS = ['02:00:00:00:00:01', '02:00:00:00:00:02', '0a:1b:2c:3d:4e:5f', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:fb', '33:33:00:00:00:01'];
const IPV4 = ['10.1.2.3', '10.200.0.7', '192.168.1.9', '192.168.77.1', '172.16.5.5', '198.18.0.2', '8.8.8.8', '224.0.0.251', '255.255.255.255'];
const IPV6 = ['fd00::1', 'fd00::2', 'fe80::1', '2001:db8::5', '2001:db8:1::9', 'ff02::1'];
const PORTS = [22, 53, 80, 443, 1000, 1500, 2000, 8080, 40000, 65535];
const VLAN_IDS = [1, 100, 200, 300, 4094];
const TPIDS = [0x8100, 0x88a8, 0x9100];

const mac = (s: string) => Buffer.from(s.split(':').map((h) => parseInt(h, 16)));
const ip4 = (s: string) => Buffer.from(s.split('.').map(Number));

function ip6(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return Buffer.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

const u16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v & 0xffff);
  return b;
};

function transport(r: Rng, proto: number, payloadBytes: number): Buffer {
  const payload = r.chance(0.15) ? Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), r.bytes(payloadBytes)]) : r.bytes(payloadBytes);
  if (proto === 6) {
    const options = r.chance(0.3) ? 4 * (1 + r.int(10)) : 0;
    const h = Buffer.alloc(20 + options);
    h.writeUInt16BE(r.pick(PORTS), 0);
    h.writeUInt16BE(r.pick(PORTS), 2);
    h.writeUInt32BE(r.next(), 4);
    h.writeUInt32BE(r.next(), 8);
    h[12] = ((20 + options) / 4) << 4;
    h[13] = r.pick([0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x29, r.int(256)]);
    h.writeUInt16BE(r.int(65536), 14);
    h.writeUInt16BE(r.int(65536), 16); // checksum: random
    for (let i = 20; i < h.length; i++) h[i] = 1; // NOP options
    return Buffer.concat([h, payload]);
  }
  if (proto === 17) {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(r.pick(PORTS), 0);
    h.writeUInt16BE(r.pick(PORTS), 2);
    h.writeUInt16BE(8 + payload.length, 4);
    h.writeUInt16BE(r.int(65536), 6);
    if (payload.length >= 2 && r.chance(0.1)) payload.writeUInt16BE(0x1234, 0);
    return Buffer.concat([h, payload]);
  }
  if (proto === 1 || proto === 58) {
    const h = Buffer.alloc(8);
    h[0] = proto === 1 ? r.pick([0, 3, 8, 11]) : r.pick([1, 128, 129, 135, 136]);
    h[1] = r.int(4);
    h.writeUInt16BE(r.int(65536), 2);
    h.writeUInt16BE(r.int(65536), 4);
    h.writeUInt16BE(r.int(100), 6);
    return Buffer.concat([h, payload]);
  }
  return r.bytes(8 + payloadBytes); // GRE, SCTP, anything: opaque bytes
}

function ipv4Packet(r: Rng, payloadBytes: number): Buffer {
  const proto = r.pick([6, 6, 17, 17, 1, 47, 132]);
  let options = Buffer.alloc(0);
  if (r.chance(0.2)) {
    // Record Route (7) or NOPs, padded to whole words.
    const words = 1 + r.int(10);
    options = Buffer.alloc(words * 4, 1);
    if (r.chance(0.5) && words >= 2) {
      options[0] = 7;
      options[1] = words * 4 - 1;
      options[2] = 4;
    }
  }
  const body = transport(r, proto, payloadBytes);
  const h = Buffer.alloc(20);
  const ihl = 5 + options.length / 4;
  h[0] = 0x40 | ihl;
  h[1] = r.pick([0, 0x10, 0xb8]);
  h.writeUInt16BE(20 + options.length + body.length, 2);
  h.writeUInt16BE(r.int(65536), 4);
  // Fragments: first (MF), middle/last (offset), DF, or none.
  const frag = r.pick([0, 0, 0, 0x4000, 0x2000, 0x2000 | (1 + r.int(100)), 1 + r.int(8000)]);
  h.writeUInt16BE(frag, 6);
  h[8] = r.pick([1, 2, 64, 128, 255]);
  h[9] = proto;
  h.writeUInt16BE(r.int(65536), 10);
  ip4(r.pick(IPV4)).copy(h, 12);
  ip4(r.pick(IPV4)).copy(h, 16);
  // Malformed: an IHL below 5, a version that is not 4, a total length that lies.
  const bad = r.int(30);
  if (bad === 0) h[0] = 0x40 | r.int(5);
  if (bad === 1) h[0] = 0x60 | ihl;
  if (bad === 2) h.writeUInt16BE(r.int(65536), 2);
  return Buffer.concat([h, options, body]);
}

function ipv6Packet(r: Rng, payloadBytes: number): Buffer {
  const last = r.pick([6, 17, 58, 6, 17]);
  // An extension-header chain of up to five: hop-by-hop first when present.
  const chain: number[] = [];
  if (r.chance(0.3)) chain.push(0);
  const more = r.int(r.chance(0.4) ? 5 : 1);
  for (let i = 0; i < more; i++) chain.push(r.pick([43, 44, 60, 51]));
  const protos = [...chain, last];
  let rest = transport(r, last, payloadBytes);
  for (let i = chain.length - 1; i >= 0; i--) {
    const type = chain[i];
    const next = protos[i + 1];
    let ext: Buffer;
    if (type === 44) {
      ext = Buffer.alloc(8);
      ext[0] = next;
      ext.writeUInt16BE(r.pick([0, 0, 1, 8 * (1 + r.int(100)) | 1]) & 0xfff9, 2);
      ext.writeUInt32BE(r.next(), 4);
    } else if (type === 51) {
      const len = 1 + r.int(3); // (len + 2) * 4 bytes
      ext = Buffer.alloc((len + 2) * 4);
      ext[0] = next;
      ext[1] = len;
    } else {
      const len = r.int(3); // (len + 1) * 8 bytes
      ext = Buffer.alloc((len + 1) * 8, 0);
      ext[0] = next;
      ext[1] = len;
      ext[2] = 1; // PadN
      ext[3] = (len + 1) * 8 - 4;
    }
    rest = Buffer.concat([ext, rest]);
  }
  const h = Buffer.alloc(40);
  h.writeUInt32BE((0x6 << 28) | (r.int(256) << 20) | r.int(1 << 20), 0);
  h.writeUInt16BE(r.chance(0.05) ? r.int(65536) : rest.length, 4);
  h[6] = protos[0];
  h[7] = r.pick([1, 64, 255]);
  ip6(r.pick(IPV6)).copy(h, 8);
  ip6(r.pick(IPV6)).copy(h, 24);
  return Buffer.concat([h, rest]);
}

function arpPacket(r: Rng): Buffer {
  const h = Buffer.alloc(28);
  h.writeUInt16BE(1, 0);
  h.writeUInt16BE(0x0800, 2);
  h[4] = 6;
  h[5] = 4;
  h.writeUInt16BE(r.pick([1, 2]), 6);
  mac(r.pick(MACS)).copy(h, 8);
  ip4(r.pick(IPV4)).copy(h, 14);
  mac(r.pick(MACS)).copy(h, 18);
  ip4(r.pick(IPV4)).copy(h, 24);
  return h;
}

function lldpPayload(r: Rng): Buffer {
  // Chassis ID, port ID, TTL, end: enough for a filter on the EtherType and bytes.
  return Buffer.concat([Buffer.from([0x02, 0x07, 0x04]), r.bytes(6), Buffer.from([0x04, 0x03, 0x05, 0x31, 0x32, 0x06, 0x02, 0x00, 0x78, 0x00, 0x00])]);
}

export interface CorpusOptions {
  seed: number;
  frames: number;
  /** Largest frame the link carries (its MTU plus the Ethernet header and tags). */
  maxFrame: number;
}

/** The frames, in order. Every frame is at least 14 bytes: AF_PACKET sends nothing shorter. */
export function generateCorpus(o: CorpusOptions): Buffer[] {
  const r = new Rng(o.seed);
  const out: Buffer[] = [];
  while (out.length < o.frames) {
    const kind = r.int(100);
    const jumbo = kind >= 95;
    const payloadBytes = jumbo ? 1500 + r.int(o.maxFrame - 1700) : r.chance(0.5) ? r.int(40) : r.int(600);
    let etherType: number;
    let body: Buffer;
    if (kind < 40 || jumbo) {
      etherType = 0x0800;
      body = ipv4Packet(r, payloadBytes);
    } else if (kind < 70) {
      etherType = 0x86dd;
      body = ipv6Packet(r, payloadBytes);
    } else if (kind < 80) {
      etherType = 0x0806;
      body = arpPacket(r);
    } else if (kind < 86) {
      etherType = 0x88cc;
      body = lldpPayload(r);
    } else {
      etherType = r.pick([0x8847, 0x88e5, 0x0842, 0x1234, 0x0600]);
      body = r.bytes(r.int(100));
    }
    // VLAN tags: none (most), one, two or three, with any of the TPIDs tcpdump knows.
    const tagCount = r.chance(0.6) ? 0 : 1 + r.int(3);
    const tags: Buffer[] = [];
    for (let i = 0; i < tagCount; i++) {
      const tag = Buffer.alloc(4);
      tag.writeUInt16BE(r.pick(TPIDS), 0);
      tag.writeUInt16BE((r.int(8) << 13) | r.pick(VLAN_IDS), 2);
      tags.push(tag);
    }
    // Ethernet: the TPIDs and the EtherType each follow the header field before them.
    const fields = [...tags.map((t) => t.subarray(0, 2)), u16(etherType)];
    const header = Buffer.concat([mac(r.pick(MACS)), mac(r.pick(MACS)), fields[0]]);
    const middle = tags.map((t, i) => Buffer.concat([t.subarray(2, 4), fields[i + 1]]));
    let frame = Buffer.concat([header, ...middle, body]);
    // Cut short: anywhere from the end of the Ethernet header on.
    if (r.chance(0.12)) frame = frame.subarray(0, 14 + r.int(Math.max(1, frame.length - 14)));
    if (frame.length > o.maxFrame) frame = frame.subarray(0, o.maxFrame);
    out.push(Buffer.from(frame));
  }
  return out;
}
