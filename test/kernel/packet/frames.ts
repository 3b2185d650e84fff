// Hand-built Ethernet frames with known field values, for BPF_PROG_TEST_RUN. Each builder
// takes the fields a test asserts and fills the rest with fixed, documented values.
// Checksums are left zero: neither XDP nor tc test runs verify them.

export const SRC_MAC = [0x02, 0x00, 0x00, 0xaa, 0xbb, 0x01];
export const DST_MAC = [0x02, 0x00, 0x00, 0xaa, 0xbb, 0x02];

export interface Layer {
  /** EtherType (for what follows Ethernet or a VLAN tag) or IP protocol number. */
  type: number;
  bytes: Buffer;
}

export function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

/** 16 bytes of an IPv6 address written in full or with `::`. */
export function ipv6Bytes(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

export function udp(sport: number, dport: number, payload = Buffer.alloc(4, 0x78)): Layer {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(sport, 0);
  b.writeUInt16BE(dport, 2);
  b.writeUInt16BE(8 + payload.length, 4);
  return { type: 17, bytes: Buffer.concat([b, payload]) };
}

export function tcp(o: { sport: number; dport: number; seq: number; ack: number; flags: number; win: number }): Layer {
  const b = Buffer.alloc(20);
  b.writeUInt16BE(o.sport, 0);
  b.writeUInt16BE(o.dport, 2);
  b.writeUInt32BE(o.seq, 4);
  b.writeUInt32BE(o.ack, 8);
  b[12] = 5 << 4; // data offset: 5 words
  b[13] = o.flags;
  b.writeUInt16BE(o.win, 14);
  return { type: 6, bytes: b };
}

export function icmp(type: number, code: number, protocol = 1): Layer {
  const b = Buffer.alloc(8);
  b[0] = type;
  b[1] = code;
  b.writeUInt16BE(0x1234, 4); // identifier
  b.writeUInt16BE(1, 6); // sequence
  return { type: protocol, bytes: b };
}

export interface Ipv4Options {
  src: string;
  dst: string;
  ttl?: number;
  tos?: number;
  id?: number;
  /** Bytes of IP options (a multiple of 4). */
  options?: number[];
  /** Fragment offset in 8-byte units. */
  fragmentOffset?: number;
}

export function ipv4(o: Ipv4Options, payload: Layer): Layer {
  const options = Buffer.from(o.options ?? []);
  const h = Buffer.alloc(20);
  h[0] = 0x40 | ((20 + options.length) / 4);
  h[1] = o.tos ?? 0;
  h.writeUInt16BE(20 + options.length + payload.bytes.length, 2);
  h.writeUInt16BE(o.id ?? 0x4242, 4);
  h.writeUInt16BE(o.fragmentOffset ?? 0, 6);
  h[8] = o.ttl ?? 64;
  h[9] = payload.type;
  Buffer.from(ipv4Bytes(o.src)).copy(h, 12);
  Buffer.from(ipv4Bytes(o.dst)).copy(h, 16);
  return { type: 0x0800, bytes: Buffer.concat([h, options, payload.bytes]) };
}

/** An IPv6 extension header: type 0/43/60 are (len+1)*8 bytes long, 44 (fragment) 8. */
export interface Ipv6Extension {
  type: number;
  /** Total length in bytes (a multiple of 8). */
  length?: number;
  /** For a fragment header: the offset in 8-byte units. */
  fragmentOffset?: number;
}

export function ipv6(o: { src: string; dst: string; hoplimit?: number; extensions?: Ipv6Extension[] }, payload: Layer): Layer {
  const extensions = o.extensions ?? [];
  const chain: Buffer[] = [];
  extensions.forEach((ext, i) => {
    const next = i + 1 < extensions.length ? extensions[i + 1].type : payload.type;
    const length = ext.type === 44 ? 8 : ext.length ?? 8;
    const e = Buffer.alloc(length);
    e[0] = next;
    e[1] = ext.type === 44 ? 0 : length / 8 - 1;
    if (ext.type === 44) e.writeUInt16BE((ext.fragmentOffset ?? 0) << 3, 2);
    else if (length > 2) e[2] = 1; // a PadN option filling the rest
    if (ext.type !== 44 && length > 3) e[3] = length - 4;
    chain.push(e);
  });
  const rest = Buffer.concat([...chain, payload.bytes]);
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE(rest.length, 4);
  h[6] = extensions.length ? extensions[0].type : payload.type;
  h[7] = o.hoplimit ?? 64;
  Buffer.from(ipv6Bytes(o.src)).copy(h, 8);
  Buffer.from(ipv6Bytes(o.dst)).copy(h, 24);
  return { type: 0x86dd, bytes: Buffer.concat([h, rest]) };
}

/** Ethernet, with the given 802.1Q tags (outermost first) before the payload. */
export function ethernet(payload: Layer, o: { vlans?: { id: number; pcp?: number }[]; src?: number[]; dst?: number[] } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(o.dst ?? DST_MAC), Buffer.from(o.src ?? SRC_MAC)];
  for (const tag of o.vlans ?? []) {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(0x8100, 0);
    t.writeUInt16BE(((tag.pcp ?? 0) << 13) | tag.id, 2);
    parts.push(t);
  }
  const type = Buffer.alloc(2);
  type.writeUInt16BE(payload.type, 0);
  parts.push(type, payload.bytes);
  const frame = Buffer.concat(parts);
  // Ethernet's minimum frame (without FCS) is 60 bytes; pad like a NIC would.
  return frame.length >= 60 ? frame : Buffer.concat([frame, Buffer.alloc(60 - frame.length)]);
}
