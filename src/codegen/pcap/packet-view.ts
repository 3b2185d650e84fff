// The frame a pcap filter reads, as a capture file would hold it, for the classic BPF
// translation (classic-bpf.ts).
//
// Every load checks its own bytes against data_end on the very pointer it loads from,
// because that is the only proof the verifier accepts, and a variable offset (classic
// BPF's indexed loads) is first bounded to 16 bits so the verifier can add it to a
// packet pointer. At tc, bytes past the linear part of the sk_buff are read with
// bpf_skb_load_bytes, so a filter sees the whole frame there as tcpdump would.
//
// At tc the kernel has usually taken the outer VLAN tag out of the data into
// skb->vlan_tci (and vlan_proto). libpcap compiles `vlan` for Ethernet as bytes in the
// frame, so the view puts the tag back: frame bytes 0-11 are the MAC addresses, 12-15
// the tag (TPID, TCI), and byte n >= 16 is data byte n - 4. The same filter then gives
// the same answer at xdp and at tc.
import { opaque } from '../bounded.js';
import type { FunctionContext } from '../function-context.js';
import type { LLVM } from '../llvm.js';
import type { ClassicPacketView } from './classic-bpf.js';
import { BPF_FUNC } from '../../model/uapi.js';

/** struct __sk_buff: len 0, vlan_present 20, vlan_tci 24, vlan_proto 28 (network order). */
const SKB = { len: 0, vlanPresent: 20, vlanTci: 24, vlanProto: 28 } as const;
const MAC_ADDRESSES = 12;
const VLAN_TAG = 4;
/** Offsets beyond this cannot be inside any frame a hook sees; the verifier needs a bound. */
const MAX_OFFSET = 0xffff;

export function classicPacketView(f: FunctionContext, context: 'xdp' | 'skb'): ClassicPacketView {
  return context === 'xdp' ? new XdpView(f) : new SkbView(f);
}

class XdpView implements ClassicPacketView {
  constructor(protected readonly f: FunctionContext) {}

  load(offset: LLVM.Value, size: 1 | 2 | 4, fail: LLVM.BasicBlock): LLVM.Value {
    return this.dataLoad(this.bounded(offset, size, fail), size, fail);
  }

  length(): LLVM.Value {
    const { m } = this.f;
    const p = this.f.packet!;
    const bytes = m.b.CreateSub(m.b.CreatePtrToInt(p.dataEnd, m.i64), m.b.CreatePtrToInt(p.data, m.i64));
    return m.b.CreateTrunc(bytes, m.i32);
  }

  /** The offset as an i64 known to be at most MAX_OFFSET, or a branch to `fail`. */
  protected bounded(offset: LLVM.Value, size: number, fail: LLVM.BasicBlock): LLVM.Value {
    const { f } = this;
    const { m } = f;
    const ok = f.newBlock('cbpf_offset_ok');
    m.b.CreateCondBr(m.b.CreateICmpUGT(offset, m.intConst(m.i32, MAX_OFFSET - size)), fail, ok);
    m.b.SetInsertPoint(ok);
    return m.b.CreateZExt(offset, m.i64);
  }

  /** A bounds-checked load from the packet data at a bounded i64 offset; host order i32. */
  protected dataLoad(offset: LLVM.Value, size: 1 | 2 | 4, fail: LLVM.BasicBlock): LLVM.Value {
    const { f } = this;
    const { m } = f;
    const p = f.packet!;
    // Hidden from LLVM (bounded.ts): otherwise it folds `data + (o - 4) + size` into
    // `data + (o + size - 4)` for the bounds check while loading through `data + (o - 4)`,
    // two pointers the verifier cannot relate.
    const ptr = f.byteOffset(p.data, opaque(f, offset));
    const inside = f.newBlock('cbpf_load');
    const outside = this.outsideLinearData(offset, size, fail);
    m.b.CreateCondBr(m.b.CreateICmpUGT(f.byteOffset(ptr, size), p.dataEnd), outside.block, inside);
    m.b.SetInsertPoint(inside);
    const value = hostOrder(f, f.loadInt(ptr, 0, size * 8), size);
    if (!outside.value) return value;
    const from = m.b.GetInsertBlock()!;
    const merge = f.newBlock('cbpf_loaded');
    m.b.CreateBr(merge);
    m.b.SetInsertPoint(outside.end!);
    m.b.CreateBr(merge);
    m.b.SetInsertPoint(merge);
    const phi = m.b.CreatePHI(m.i32, 2);
    phi.addIncoming(value, from);
    phi.addIncoming(outside.value, outside.end!);
    return phi;
  }

  /** What a load past data_end does: at xdp the frame ends there. */
  protected outsideLinearData(_offset: LLVM.Value, _size: 1 | 2 | 4, fail: LLVM.BasicBlock): { block: LLVM.BasicBlock; value?: LLVM.Value; end?: LLVM.BasicBlock } {
    return { block: fail };
  }
}

class SkbView extends XdpView {
  override load(offset: LLVM.Value, size: 1 | 2 | 4, fail: LLVM.BasicBlock): LLVM.Value {
    const { f } = this;
    const { m } = f;
    const { b } = m;
    const virtualOffset = this.bounded(offset, size, fail);
    const c = (n: number) => m.i64Const(n);
    const results: Array<[LLVM.Value, LLVM.BasicBlock]> = [];
    const merge = f.newBlock('cbpf_vlan_view_done');
    const finish = (value: LLVM.Value) => {
      results.push([value, b.GetInsertBlock()!]);
      b.CreateBr(merge);
    };
    const untagged = f.newBlock('cbpf_untagged');
    const tagged = f.newBlock('cbpf_tag_in_metadata');
    b.CreateCondBr(this.tagInMetadata(), tagged, untagged);

    // No tag in the metadata: the data is the frame.
    b.SetInsertPoint(untagged);
    finish(this.dataLoad(virtualOffset, size, fail));

    // Tag in the metadata: before it, after it, or across it.
    b.SetInsertPoint(tagged);
    const before = f.newBlock('cbpf_before_tag');
    const notBefore = f.newBlock('cbpf_not_before_tag');
    const after = f.newBlock('cbpf_after_tag');
    const across = f.newBlock('cbpf_across_tag');
    b.CreateCondBr(b.CreateICmpULE(b.CreateAdd(virtualOffset, c(size)), c(MAC_ADDRESSES)), before, notBefore);
    b.SetInsertPoint(before);
    finish(this.dataLoad(virtualOffset, size, fail));
    b.SetInsertPoint(notBefore);
    b.CreateCondBr(b.CreateICmpUGE(virtualOffset, c(MAC_ADDRESSES + VLAN_TAG)), after, across);
    b.SetInsertPoint(after);
    finish(this.dataLoad(b.CreateSub(virtualOffset, c(VLAN_TAG)), size, fail));
    b.SetInsertPoint(across);
    let value: LLVM.Value = m.intConst(m.i32, 0);
    for (let i = 0; i < size; i++) {
      const byte = this.taggedFrameByte(b.CreateAdd(virtualOffset, c(i)), fail);
      value = b.CreateOr(b.CreateShl(value, m.intConst(m.i32, 8)), byte);
    }
    finish(value);

    b.SetInsertPoint(merge);
    const phi = b.CreatePHI(m.i32, results.length);
    for (const [v, from] of results) phi.addIncoming(v, from);
    return phi;
  }

  override length(): LLVM.Value {
    const { m } = this.f;
    const len = skbWord(this.f, 'len');
    const tag = m.b.CreateSelect(this.tagInMetadata(), m.intConst(m.i32, VLAN_TAG), m.intConst(m.i32, 0));
    return m.b.CreateAdd(len, tag);
  }

  /** One byte of the frame with the tag put back, at an offset in [12, 16 + 3]. */
  private taggedFrameByte(offset: LLVM.Value, fail: LLVM.BasicBlock): LLVM.Value {
    const { f } = this;
    const { m } = f;
    const { b } = m;
    const c = (n: number) => m.i64Const(n);
    const inTag = f.newBlock('cbpf_tag_byte');
    const afterTag = f.newBlock('cbpf_data_byte');
    const merge = f.newBlock('cbpf_byte_done');
    b.CreateCondBr(b.CreateICmpULT(offset, c(MAC_ADDRESSES + VLAN_TAG)), inTag, afterTag);
    // Bytes 12..15: TPID then TCI, big-endian as on the wire.
    b.SetInsertPoint(inTag);
    const tpid = m.b.CreateZExt(m.bswap(m.b.CreateTrunc(skbWord(f, 'vlanProto'), m.intType(16)), 16), m.i32);
    const tci = m.b.CreateAnd(skbWord(f, 'vlanTci'), m.intConst(m.i32, 0xffff));
    const tag = b.CreateOr(b.CreateShl(tpid, m.intConst(m.i32, 16)), tci);
    const shift = b.CreateShl(b.CreateTrunc(b.CreateSub(c(MAC_ADDRESSES + VLAN_TAG - 1), offset), m.i32), m.intConst(m.i32, 3));
    const tagByte = b.CreateAnd(b.CreateLShr(tag, b.CreateAnd(shift, m.intConst(m.i32, 31))), m.intConst(m.i32, 0xff));
    const tagEnd = b.GetInsertBlock()!;
    b.CreateBr(merge);
    b.SetInsertPoint(afterTag);
    const dataByte = this.dataLoad(b.CreateSub(offset, c(VLAN_TAG)), 1, fail);
    const dataEnd = b.GetInsertBlock()!;
    b.CreateBr(merge);
    b.SetInsertPoint(merge);
    const phi = b.CreatePHI(m.i32, 2);
    phi.addIncoming(tagByte, tagEnd);
    phi.addIncoming(dataByte, dataEnd);
    return phi;
  }

  private tagInMetadata(): LLVM.Value {
    const { m } = this.f;
    return m.b.CreateICmpNE(skbWord(this.f, 'vlanPresent'), m.intConst(m.i32, 0));
  }

  /** Past the linear data: bpf_skb_load_bytes reads the paged part; past skb->len the frame ends. */
  protected override outsideLinearData(offset: LLVM.Value, size: 1 | 2 | 4, fail: LLVM.BasicBlock) {
    const { f } = this;
    const { m } = f;
    const saved = m.b.GetInsertBlock()!;
    const block = f.newBlock('cbpf_paged');
    m.b.SetInsertPoint(block);
    // One buffer per function, whatever number of loads use it: each is read right after its helper call.
    let buffer = pagedBuffers.get(f);
    if (!buffer) pagedBuffers.set(f, (buffer = f.alloca(m.i32, 'cbpf_paged_bytes', true)));
    const bytes = m.b.CreateBitCast(buffer, m.i8p);
    const result = m.callHelper(BPF_FUNC.skb_load_bytes, m.i64, [m.i8p, m.i32, m.i8p, m.i32], [f.ctxArg, m.b.CreateTrunc(offset, m.i32), bytes, m.intConst(m.i32, size)]);
    const ok = f.newBlock('cbpf_paged_ok');
    m.b.CreateCondBr(m.b.CreateICmpNE(result, m.i64Const(0)), fail, ok);
    m.b.SetInsertPoint(ok);
    const value = hostOrder(f, f.loadInt(bytes, 0, size * 8), size);
    const end = m.b.GetInsertBlock()!;
    m.b.SetInsertPoint(saved);
    return { block, value, end };
  }
}

const pagedBuffers = new WeakMap<FunctionContext, LLVM.AllocaInst>();
const skbWords = new WeakMap<FunctionContext, Map<keyof typeof SKB, LLVM.Value>>();

/**
 * A 32-bit __sk_buff field, loaded once per function in its entry block. The verifier
 * accepts a context load only at a constant offset from the context pointer itself;
 * loading the same field in many places invites LLVM to keep `ctx + offset` in a register
 * and load through that, which it refuses ("dereference of modified ctx ptr").
 */
function skbWord(f: FunctionContext, field: keyof typeof SKB): LLVM.Value {
  let words = skbWords.get(f);
  if (!words) skbWords.set(f, (words = new Map()));
  const known = words.get(field);
  if (known) return known;
  const { b } = f.m;
  const current = b.GetInsertBlock();
  b.SetInsertPoint(f.allocaBlock.getTerminator()!);
  const value = f.loadInt(f.ctxArg, SKB[field], 32);
  if (current) b.SetInsertPoint(current);
  words.set(field, value);
  return value;
}

export function hostOrder(f: FunctionContext, raw: LLVM.Value, size: 1 | 2 | 4, width: LLVM.Type = f.m.i32): LLVM.Value {
  const { m } = f;
  const host = size === 1 ? raw : m.bswap(raw, (size * 8) as 16 | 32);
  return m.b.CreateZExt(host, width);
}
