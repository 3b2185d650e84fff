// pcap(SKB, "filter") in a probe that has an sk_buff pointer (tracepoints, fentry,
// rawtracepoints, kprobes) rather than the packet itself. The filter reads the linear
// part of the sk_buff, as capture(SKB) copies it: from the MAC header, or from the
// network header when the stack has not set a MAC header, or set it where the network
// header is, as devices without a link layer (tun) do: then the frame is raw IP.
// libpcap compiles the filter twice, for Ethernet and for raw IP (DLT_RAW); which of
// the two runs is decided per packet.
//
// Each classic load reads its bytes with bpf_probe_read_kernel (5.5) into a stack slot,
// after checking them against the linear length: nothing is a packet pointer, so the
// verifier needs no data_end proof, and a load past the linear part (paged bytes, which
// tracing programs cannot reach) does not match, as a load past a frame's end does not.
import type { ClassicInsn } from '../../native/pcap.js';
import type { CaptureSkbLayout } from '../../model/capture.js';
import { BPF_FUNC } from '../../model/uapi.js';
import type { FunctionContext } from '../function-context.js';
import type { LLVM } from '../llvm.js';
import { readSkbLinearFrame } from '../skb-linear-frame.js';
import { emitClassicProgram, type ClassicPacketView } from './classic-bpf.js';
import { hostOrder } from './packet-view.js';

/** The sk_buff a pcap(SKB, ...) call reads: its address (an i64) and where the kernel keeps its fields. */
export interface SkbPointer {
  pointer: LLVM.Value;
  layout: CaptureSkbLayout;
}

/** Offsets beyond this cannot be inside any linear part; the check keeps the arithmetic in range. */
const MAX_OFFSET = 0xffff;

/** An i1: does the packet `skb` points at match the filter (compiled for Ethernet, and for raw IP unless it asks about the link layer). */
export function emitSkbPointerFilter(f: FunctionContext, skb: SkbPointer, ethernet: ClassicInsn[], rawIp: ClassicInsn[] | undefined): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const { layout } = skb;
  const frame = readSkbLinearFrame(f, skb.pointer, layout);
  const { hasMac, start } = frame;
  const view = new SkbPointerView(f, start, b.CreateSub(frame.end, start), b.CreateTrunc(frame.wireLength, m.i32));

  const merge = f.newBlock('pcap_skb_done');
  const results: Array<[LLVM.Value, LLVM.BasicBlock]> = [];
  const finish = (value: LLVM.Value) => {
    results.push([value, b.GetInsertBlock()!]);
    b.CreateBr(merge);
  };
  const sane = f.newBlock('pcap_skb_ok');
  const none = f.newBlock('pcap_skb_none');
  // A NULL sk_buff, or one whose header offsets do not lie before its tail, matches nothing.
  b.CreateCondBr(frame.sane, sane, none);
  b.SetInsertPoint(none);
  finish(b.getFalse());
  b.SetInsertPoint(sane);
  const withMac = f.newBlock('pcap_skb_ethernet');
  const withoutMac = f.newBlock('pcap_skb_raw_ip');
  b.CreateCondBr(hasMac, withMac, withoutMac);
  b.SetInsertPoint(withMac);
  finish(emitClassicProgram(f, ethernet, view));
  b.SetInsertPoint(withoutMac);
  finish(rawIp ? emitClassicProgram(f, rawIp, view) : b.getFalse());
  b.SetInsertPoint(merge);
  const phi = b.CreatePHI(m.i1, results.length);
  for (const [value, from] of results) phi.addIncoming(value, from);
  return phi;
}

class SkbPointerView implements ClassicPacketView {
  /** `start` is the frame's first byte (i64 kernel address), `linear` its readable bytes (i64), `frameLength` the i32 length. */
  constructor(
    private readonly f: FunctionContext,
    private readonly start: LLVM.Value,
    private readonly linear: LLVM.Value,
    private readonly frameLength: LLVM.Value,
  ) {}

  load(offset: LLVM.Value, size: 1 | 2 | 4, fail: LLVM.BasicBlock): LLVM.Value {
    const { f } = this;
    const { m } = f;
    const { b } = m;
    const inRange = f.newBlock('pcap_skb_offset_ok');
    b.CreateCondBr(b.CreateICmpUGT(offset, m.intConst(m.i32, MAX_OFFSET - size)), fail, inRange);
    b.SetInsertPoint(inRange);
    const at = b.CreateZExt(offset, m.i64);
    const inside = f.newBlock('pcap_skb_inside');
    b.CreateCondBr(b.CreateICmpUGT(b.CreateAdd(at, m.i64Const(size)), this.linear), fail, inside);
    b.SetInsertPoint(inside);
    const bytes = b.CreateBitCast(slotOf(f), m.i8p);
    const result = m.callHelper(BPF_FUNC.probe_read_kernel, m.i64, [m.i8p, m.i32, m.i8p], [bytes, m.intConst(m.i32, size), b.CreateIntToPtr(b.CreateAdd(this.start, at), m.i8p)]);
    const read = f.newBlock('pcap_skb_read');
    b.CreateCondBr(b.CreateICmpNE(result, m.i64Const(0)), fail, read);
    b.SetInsertPoint(read);
    return hostOrder(f, f.loadInt(bytes, 0, size * 8), size);
  }

  length(): LLVM.Value {
    return this.frameLength;
  }
}

/**
 * One 8-byte stack slot per function for every read of every pcap(SKB, ...) call: each
 * read is loaded right after its helper call, and a slot per read would soon exceed the
 * 512 bytes of stack in a probe with a dozen filters.
 */
const slots = new WeakMap<FunctionContext, LLVM.AllocaInst>();
function slotOf(f: FunctionContext): LLVM.AllocaInst {
  let slot = slots.get(f);
  if (!slot) slots.set(f, (slot = f.alloca(f.m.i64, 'pcap_skb_read', true)));
  return slot;
}
