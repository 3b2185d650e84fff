// The linear part of an sk_buff reached through a pointer (tracepoints, fentry,
// rawtracepoints, kprobes), as capture(SKB) copies it and pcap(SKB, ...) filters it: from
// the MAC header, or from the network header when the packet has no link-layer header
// (the stack has not set the MAC header yet, or a device without a link layer — tun,
// wireguard, ipip — set it where the network header is): then the frame is raw IP.
// Every field is read with bpf_probe_read_kernel (5.5), so nothing here is a packet
// pointer the verifier has to bound.
import type { CaptureSkbLayout } from '../model/capture.js';
import { BPF_FUNC } from '../model/uapi.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';

/** skb->mac_header when the stack has not set it. */
const HEADER_UNSET = 0xffff;

/** Where a packet's bytes lie in kernel memory, all i64 (addresses and lengths). */
export interface SkbLinearFrame {
  head: LLVM.Value;
  /** Address of the frame's first byte (MAC header, or network header for raw IP). */
  start: LLVM.Value;
  /** Address just past the linear part (skb->head + skb->tail). */
  end: LLVM.Value;
  /** i1: the frame starts with a link-layer (Ethernet) header. */
  hasMac: LLVM.Value;
  /** The frame's length on the wire as a capture counts it: skb->len plus the bytes before skb->data. */
  wireLength: LLVM.Value;
  /** i1: a sk_buff with a head whose linear part is not empty from `start`. */
  sane: LLVM.Value;
}

export function readSkbLinearFrame(f: FunctionContext, skb: LLVM.Value, layout: CaptureSkbLayout): SkbLinearFrame {
  const { m } = f;
  const { b } = m;
  const read = (offset: number, size: 2 | 4 | 8) => readKernelInt(f, b.CreateAdd(skb, m.i64Const(offset)), size);
  const head = read(layout.head, 8);
  const data = read(layout.data, 8);
  const len = read(layout.len, 4);
  const tail = read(layout.tail, 4);
  const mac = read(layout.macHeader, 2);
  const network = read(layout.networkHeader, 2);
  const hasMac = b.CreateAnd(b.CreateICmpNE(mac, m.i64Const(HEADER_UNSET)), b.CreateICmpNE(mac, network));
  const start = b.CreateAdd(head, b.CreateSelect(hasMac, mac, network));
  const end = b.CreateAdd(head, tail);
  // skb->len counts from skb->data; the bytes between the frame's start and data count too.
  const before = b.CreateSelect(b.CreateICmpUGT(data, start), b.CreateSub(data, start), m.i64Const(0));
  return {
    head,
    start,
    end,
    hasMac,
    wireLength: b.CreateAdd(len, before),
    sane: b.CreateAnd(b.CreateICmpNE(head, m.i64Const(0)), b.CreateICmpUGT(end, start)),
  };
}

const readSlots = new WeakMap<FunctionContext, LLVM.AllocaInst>();

/** An unsigned integer of `size` bytes at kernel address `address` (i64), as an i64; 0 when unreadable. */
export function readKernelInt(f: FunctionContext, address: LLVM.Value, size: 2 | 4 | 8): LLVM.Value {
  const { m } = f;
  let slot = readSlots.get(f);
  if (!slot) readSlots.set(f, (slot = f.alloca(m.i64, 'skb_field_read', true)));
  const ptr = m.b.CreateBitCast(slot, m.i8p);
  m.b.CreateStore(m.i64Const(0), slot);
  m.callHelper(BPF_FUNC.probe_read_kernel, m.i64, [m.i8p, m.i32, m.i8p], [ptr, m.intConst(m.i32, size), m.b.CreateIntToPtr(address, m.i8p)]);
  return size === 8 ? m.b.CreateLoad(m.i64, slot) : m.b.CreateZExt(f.loadInt(ptr, 0, size * 8), m.i64);
}
