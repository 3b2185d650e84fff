// pcapng blocks (https://www.ietf.org/archive/id/draft-tuexen-opsawg-pcapng-05.html),
// little-endian, as Wireshark, tshark and tcpdump read them. Only what capture() needs:
// the section header, interface descriptions, enhanced packets with a comment and
// direction, and interface statistics. Pure: each function returns a block's bytes.
//
// Every block: u32 type, u32 total length, body, u32 total length again; bodies and
// option values are padded to 4 bytes.

export const LINKTYPE = { ETHERNET: 1, RAW: 101 } as const;

const BLOCK = { section: 0x0a0d0d0a, interface: 1, statistics: 5, enhancedPacket: 6 } as const;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes, per block. 0 ends the options; 1 is a comment in every block. */
const OPT = { end: 0, comment: 1 } as const;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;
const ISB_STARTTIME = 2;
const ISB_ENDTIME = 3;
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const ISB_USRDELIV = 8;

/** if_tsresol 9: timestamps count nanoseconds (10^-9 s). */
const NANOSECONDS = 9;

type Option = { code: number; value: Buffer };

const pad4 = (n: number) => (n + 3) & ~3;

function textOption(code: number, text: string): Option {
  return { code, value: Buffer.from(text, 'utf8') };
}

function u32Option(code: number, value: number): Option {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return { code, value: b };
}

function u64Option(code: number, value: bigint): Option {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, value));
  return { code, value: b };
}

/** Timestamp as pcapng's high and low 32-bit words, the high one first. */
function timestampOption(code: number, ns: bigint): Option {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(Number((ns >> 32n) & 0xffffffffn), 0);
  b.writeUInt32LE(Number(ns & 0xffffffffn), 4);
  return { code, value: b };
}

function encodeOptions(options: Option[]): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const o of options) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(o.code, 0);
    head.writeUInt16LE(o.value.length, 2);
    parts.push(head, o.value, Buffer.alloc(pad4(o.value.length) - o.value.length));
  }
  parts.push(Buffer.alloc(4)); // opt_endofopt
  return Buffer.concat(parts);
}

function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length; // body is already a multiple of 4
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/** Section Header Block: version 1.0, section length unknown (a stream). */
export function sectionHeader(application: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  fixed.writeBigInt64LE(-1n, 8);
  return block(BLOCK.section, Buffer.concat([fixed, encodeOptions([textOption(SHB_USERAPPL, application)])]));
}

export interface InterfaceDescription {
  linktype: number;
  snaplen: number;
  /** if_name: the interface's name. */
  name?: string;
  /** if_description: what captured on it (the probe). */
  description?: string;
}

/** Interface Description Block, with nanosecond timestamps. */
export function interfaceDescription(d: InterfaceDescription): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(d.linktype, 0);
  fixed.writeUInt32LE(d.snaplen, 4);
  const options: Option[] = [];
  if (d.name !== undefined) options.push(textOption(IF_NAME, d.name));
  if (d.description !== undefined) options.push(textOption(IF_DESCRIPTION, d.description));
  options.push({ code: IF_TSRESOL, value: Buffer.from([NANOSECONDS]) });
  return block(BLOCK.interface, Buffer.concat([fixed, encodeOptions(options)]));
}

export interface EnhancedPacket {
  interfaceId: number;
  /** Nanoseconds since the epoch (the interface's if_tsresol). */
  timestampNs: bigint;
  data: Buffer;
  /** The packet's length on the wire; data may hold fewer bytes (snaplen, an sk_buff's linear part). */
  originalLength: number;
  comment?: string;
  direction?: 'in' | 'out';
}

/** Enhanced Packet Block. */
export function enhancedPacket(p: EnhancedPacket): Buffer {
  const fixed = Buffer.alloc(20);
  fixed.writeUInt32LE(p.interfaceId, 0);
  fixed.writeUInt32LE(Number((p.timestampNs >> 32n) & 0xffffffffn), 4);
  fixed.writeUInt32LE(Number(p.timestampNs & 0xffffffffn), 8);
  fixed.writeUInt32LE(p.data.length, 12);
  fixed.writeUInt32LE(p.originalLength, 16);
  const data = Buffer.alloc(pad4(p.data.length));
  p.data.copy(data);
  const options: Option[] = [];
  if (p.comment !== undefined) options.push(textOption(OPT.comment, p.comment));
  // epb_flags bits 0-1: 01 inbound, 10 outbound.
  if (p.direction) options.push(u32Option(EPB_FLAGS, p.direction === 'in' ? 1 : 2));
  return block(BLOCK.enhancedPacket, Buffer.concat([fixed, data, encodeOptions(options)]));
}

export interface InterfaceStatistics {
  interfaceId: number;
  timestampNs: bigint;
  startNs?: bigint;
  /** Packets the probe saw: those written plus those refused. */
  received: bigint;
  /** Packets the ring buffer refused (isb_ifdrop, as dumpcap writes the kernel's drops). */
  dropped: bigint;
  /** Packets written to the file. */
  delivered: bigint;
}

/** Interface Statistics Block. */
export function interfaceStatistics(s: InterfaceStatistics): Buffer {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt32LE(s.interfaceId, 0);
  fixed.writeUInt32LE(Number((s.timestampNs >> 32n) & 0xffffffffn), 4);
  fixed.writeUInt32LE(Number(s.timestampNs & 0xffffffffn), 8);
  const options: Option[] = [];
  if (s.startNs !== undefined) options.push(timestampOption(ISB_STARTTIME, s.startNs));
  options.push(timestampOption(ISB_ENDTIME, s.timestampNs));
  options.push(u64Option(ISB_IFRECV, s.received), u64Option(ISB_IFDROP, s.dropped), u64Option(ISB_USRDELIV, s.delivered));
  return block(BLOCK.statistics, Buffer.concat([fixed, encodeOptions(options)]));
}
