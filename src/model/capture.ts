// capture(): the records programs write to the capture ring buffer, shared by codegen
// (which writes them) and the runtime (which reads them), so both sides agree by
// construction. Packets go through a ring buffer of their own, not the events ring: a
// burst of packets must not crowd out printf lines or the exit record.
//
// A record: a 40-byte header, then caplen bytes of the packet (from its first byte: the
// Ethernet header, or the IP header when the packet had no MAC header yet).
//   0  u32 site     which capture() call site (CaptureSite.id)
//   4  u32 flags    CaptureFlag bits
//   8  u64 time     bpf_ktime_get_ns() (CLOCK_MONOTONIC)
//  16  u32 ifindex  the interface the packet was on (0 when unknown)
//  20  u32 origLen  the packet's length on the wire
//  24  u32 capLen   bytes that follow the header
//  28  u32 reason   the drop reason (with CaptureFlag.reason)
//  32  u32 netns    the network namespace's inode number (with CaptureFlag.netns)
//  36  u32 (zero)
// The ring reserves a fixed size per record (the verifier wants a constant), so a packet
// of at most CAPTURE_SMALL_BYTES takes a small record and a longer one a snaplen record.
import type { Expr } from './ast.js';
import type { EnumNames } from './types.js';

export const CAPTURE_HEADER_SIZE = 40;

export const CaptureField = { site: 0, flags: 4, time: 8, ifindex: 16, origLen: 20, capLen: 24, reason: 28, netns: 32 } as const;

export const CaptureFlag = {
  /** The bytes start at the IP header (no MAC header): written as LINKTYPE_RAW. */
  rawIp: 1,
  /** `reason` holds the drop reason. */
  reason: 2,
  /** `netns` holds the namespace's inode number. */
  netns: 4,
} as const;

/** Packet bytes a small record holds: an Ethernet frame of a 1500-byte MTU with two VLAN tags, rounded up. */
export const CAPTURE_SMALL_BYTES = 1536;

/** tcpdump's default snap length, nettrace's too (docs/usage.md, --snaplen). */
export const DEFAULT_SNAPLEN = 262144;

/**
 * The largest --snaplen. The verifier is not the limit (on 6.18 it accepts records of
 * 16 MiB, measured 2026-11-26); the ring is, since a record is reserved whole and the
 * ring holds 16 of the largest (8 MiB at this size). 256 KiB covers any sk_buff but a
 * BIG TCP one, as tcpdump's default does.
 */
export const MAX_SNAPLEN = 262144;

/** One capture() call site in one program: what user space writes with each packet it sends. */
export interface CaptureSite {
  id: number;
  /** The probe whose program holds the call, as written: the interface block's description, each packet's comment. */
  probe: string;
  /** Known from the probe: xdp and tc ingress see inbound packets, tc egress outbound. */
  direction?: 'in' | 'out';
  /** How drop reasons print (enum skb_drop_reason), when the site records one. */
  reasonNames?: EnumNames;
  /** The packet was read from an sk_buff pointer (its linear part), not from a packet hook's context. */
  fromSkb: boolean;
}

/**
 * Where struct sk_buff, struct net_device and struct net keep what capture(SKB) reads, in
 * the running kernel (from BTF). `ifindex`, `net` and `inum` are undefined on a kernel
 * without network namespaces in its BTF layout: those records say nothing of the netns.
 */
export interface CaptureSkbLayout {
  head: number;
  data: number;
  len: number;
  tail: number;
  macHeader: number;
  networkHeader: number;
  dev: number;
  /** struct net_device */
  ifindex: number;
  /** struct net_device: nd_net.net (possible_net_t), when the kernel has network namespaces. */
  net?: number;
  /** struct net: ns.inum. */
  inum?: number;
}

/** Ring bytes for capture records: room for at least 16 of the largest record. */
export function captureRingBytes(snaplen: number): number {
  const big = 16 * (CAPTURE_HEADER_SIZE + snaplen + 8);
  let size = 4 << 20;
  while (size < big) size *= 2;
  return size;
}

/** A capture record as the runtime reads it off the ring. */
export interface CapturedPacket {
  site: number;
  /** bpf_ktime_get_ns() when the probe ran. */
  monotonicNs: bigint;
  ifindex: number;
  origLen: number;
  rawIp: boolean;
  reason?: number;
  netns?: number;
  data: Buffer;
}

export function decodeCaptureRecord(record: Buffer): CapturedPacket | undefined {
  if (record.length < CAPTURE_HEADER_SIZE) return undefined;
  const flags = record.readUInt32LE(CaptureField.flags);
  const capLen = Math.min(record.readUInt32LE(CaptureField.capLen), record.length - CAPTURE_HEADER_SIZE);
  return {
    site: record.readUInt32LE(CaptureField.site),
    monotonicNs: record.readBigUInt64LE(CaptureField.time),
    ifindex: record.readUInt32LE(CaptureField.ifindex),
    origLen: record.readUInt32LE(CaptureField.origLen),
    rawIp: (flags & CaptureFlag.rawIp) !== 0,
    ...((flags & CaptureFlag.reason) !== 0 && { reason: record.readUInt32LE(CaptureField.reason) }),
    ...((flags & CaptureFlag.netns) !== 0 && { netns: record.readUInt32LE(CaptureField.netns) }),
    // A copy: the ring's memory is reused once the callback returns.
    data: Buffer.from(record.subarray(CAPTURE_HEADER_SIZE, CAPTURE_HEADER_SIZE + capLen)),
  };
}

/** What the checker found for one capture() call, for codegen (CheckedProgram.captures). */
export interface CaptureCall {
  /** capture(SKB): where the kernel keeps what it reads; absent for capture() at a packet hook. */
  skbLayout?: CaptureSkbLayout;
  /** `args.reason`, made by the checker, when the probe has a drop reason (kfree_skb). */
  reason?: Expr;
  reasonNames?: EnumNames;
  /** The probes of the block (as written) whose `args` have that reason. */
  reasonProbes: string[];
}
