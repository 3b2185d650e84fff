// Byte offsets as tcpdump writes them: `ip[6:2]`, `tcp[13]`, `eth[12:2]`, `pkt[0:4]`,
// `payload[0:4]` (src/packet/offsets.ts says which names take them and where each
// counts from). Same rule as the named fields: a header the packet lacks, or bytes
// past its end, branch to `missing`.
//
// - pkt and eth read the frame as a capture holds it, through the pcap view
//   (pcap/packet-view.ts): at tc the VLAN tag the kernel moved into the metadata is put
//   back at bytes 12-15, so `eth[12:2]` is 0x8100 at xdp and tc alike, as for tcpdump.
// - A header's offsets count from where the prologue found it in the data, so they need
//   no tag arithmetic. The offset may be computed at run time: it is bounded first, and
//   the load checks its own bytes against data_end on the pointer it loads from.
// - At tc, bytes past the linear data (a payload in paged fragments) are read with
//   bpf_skb_load_bytes (kernel 4.5), as the pcap view does.
import type { IndexAccess } from '../model/ast.js';
import { opaque } from './bounded.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import type { ExprEmitter } from './expr.js';
import { headerPresent } from './packet.js';
import { classicPacketView, hostOrder } from './pcap/packet-view.js';
import { byteOffsetSize } from '../check/packet-index.js';
import { HEADERS } from '../packet/model.js';
import { MAX_PACKET_OFFSET, offsetBaseOf } from '../packet/offsets.js';
import { BPF_FUNC } from '../model/uapi.js';

const UDP_HEADER = HEADERS.udp.minSize;
const MAC_ADDRESSES = 12;
const VLAN_TAG = 4;
const TCP_MIN_HEADER = HEADERS.tcp.minSize;
/** Byte 12 of the TCP header: the data offset in its top four bits. */
const TCP_DOFF_BYTE = 12;

/** `name[offset:size]` as an i64 in host order. */
export function emitByteOffset(f: FunctionContext, e: IndexAccess, expr: ExprEmitter, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const name = (e.object as { name: string }).name;
  const base = offsetBaseOf(name)!;
  const size = byteOffsetSize(undefined, e)!;
  if (name === 'eth') guard(f, headerPresent(f, 'eth'), missing, 'eth_bytes_present');
  const start = base === 'frame' ? undefined
    : base === 'payload' ? payloadStart(f, missing)
    : headerStart(f, base.header, missing);
  if (e.index.kind === 'Int' && start === undefined) {
    const frameBytes = constantFrameOffset(f, Number(e.index.value), size, missing);
    if (frameBytes) return frameBytes;
  }
  if (e.index.kind === 'Int' && start !== undefined) {
    // A constant offset is read as a named field is: one pointer, one check, one load.
    // The verifier follows that cheaply; a computed offset costs it far more states.
    return loadConstantOffset(f, start, Number(e.index.value), size, missing);
  }
  const offset = expr.emit(e.index, missing);
  // Any offset past the largest frame is missing; below it the sum stays small.
  guard(f, m.b.CreateICmpULE(offset, m.i64Const(MAX_PACKET_OFFSET - size)), missing, 'byte_offset_bounded');
  if (start === undefined) {
    const view = classicPacketView(f, f.probeContext === 'xdp' ? 'xdp' : 'skb');
    return m.b.CreateZExt(view.load(m.b.CreateTrunc(offset, m.i32), size, missing), m.i64);
  }
  const dataOffset = m.b.CreateAdd(start, offset);
  guard(f, m.b.CreateICmpULE(dataOffset, m.i64Const(MAX_PACKET_OFFSET - size)), missing, 'data_offset_bounded');
  return loadDataBytes(f, dataOffset, size, missing);
}

/** Where a header the prologue found starts in the data; `missing` when there is none. */
function headerStart(f: FunctionContext, header: 'arp' | 'ip' | 'ip6' | 'tcp' | 'udp' | 'icmp' | 'icmp6' | 'eth' | 'vlan', missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const p = f.packet!;
  guard(f, headerPresent(f, header), missing, `${header}_bytes_present`);
  return m.b.CreateLoad(m.i64, HEADERS[header].base === 'l4' ? p.l4off : p.l3off);
}

/**
 * The first byte after the TCP header (data offset * 4) or the UDP header (8 bytes).
 * As for any header, nothing behind it is looked for unless it is whole; other packets
 * have no payload.
 */
function payloadStart(f: FunctionContext, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const p = f.packet!;
  const l4off = b.CreateLoad(m.i64, p.l4off);
  const tcp = f.newBlock('payload_tcp');
  const notTcp = f.newBlock('payload_not_tcp');
  const udp = f.newBlock('payload_udp');
  const found = f.newBlock('payload_found');
  b.CreateCondBr(headerPresent(f, 'tcp'), tcp, notTcp);
  b.SetInsertPoint(notTcp);
  b.CreateCondBr(headerPresent(f, 'udp'), udp, missing);

  b.SetInsertPoint(tcp);
  const l4 = f.byteOffset(p.data, l4off);
  guard(f, b.CreateICmpULE(f.byteOffset(l4, TCP_DOFF_BYTE + 1), p.dataEnd), missing, 'payload_tcp_doff');
  const doff = b.CreateShl(b.CreateLShr(b.CreateZExt(f.loadInt(l4, TCP_DOFF_BYTE, 8), m.i64), m.i64Const(4)), m.i64Const(2));
  guard(f, b.CreateICmpUGE(doff, m.i64Const(TCP_MIN_HEADER)), missing, 'payload_tcp_doff_valid');
  const tcpStart = b.CreateAdd(l4off, doff);
  const tcpEnd = b.GetInsertBlock()!;
  b.CreateBr(found);

  b.SetInsertPoint(udp);
  const udpStart = b.CreateAdd(l4off, m.i64Const(UDP_HEADER));
  b.CreateBr(found);

  b.SetInsertPoint(found);
  const start = b.CreatePHI(m.i64, 2);
  start.addIncoming(tcpStart, tcpEnd);
  start.addIncoming(udpStart, udp);
  // The transport header is whole: the payload starts inside the data or right at its end.
  guard(f, b.CreateICmpULE(f.byteOffset(p.data, start), p.dataEnd), missing, 'payload_header_whole');
  return start;
}

/**
 * The frame at a constant offset without the general view where the answer is plain:
 * the MAC addresses lie before any tag, xdp's data is the frame, and at tc bytes after the
 * tag are in the data 4 bytes earlier when the kernel moved the tag into the metadata.
 * Undefined for bytes across the put-back tag (12-15), which the view reads.
 */
function constantFrameOffset(f: FunctionContext, offset: number, size: 1 | 2 | 4, missing: LLVM.BasicBlock): LLVM.Value | undefined {
  const { m } = f;
  const { b } = m;
  const zero = m.i64Const(0);
  if (f.probeContext === 'xdp' || offset + size <= MAC_ADDRESSES) return loadConstantOffset(f, zero, offset, size, missing);
  if (offset < MAC_ADDRESSES + VLAN_TAG) return undefined;
  const tagged = f.newBlock('frame_tag_in_metadata');
  const untagged = f.newBlock('frame_untagged');
  const merge = f.newBlock('frame_read');
  b.CreateCondBr(b.CreateICmpNE(b.CreateLoad(m.i64, f.packet!.vlanInMetadata), zero), tagged, untagged);
  const results: Array<[LLVM.Value, LLVM.BasicBlock]> = [];
  for (const [block, at] of [[tagged, offset - VLAN_TAG], [untagged, offset]] as const) {
    b.SetInsertPoint(block);
    results.push([loadConstantOffset(f, zero, at, size, missing), b.GetInsertBlock()!]);
    b.CreateBr(merge);
  }
  b.SetInsertPoint(merge);
  const phi = b.CreatePHI(m.i64, 2);
  for (const [value, from] of results) phi.addIncoming(value, from);
  return phi;
}

/** `size` bytes at `start + offset` (a constant), checked on the pointer it loads from. */
function loadConstantOffset(f: FunctionContext, start: LLVM.Value, offset: number, size: 1 | 2 | 4, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const p = f.packet!;
  const ptr = f.byteOffset(f.byteOffset(p.data, start), offset);
  if (f.probeContext === 'xdp') {
    guard(f, b.CreateICmpULE(f.byteOffset(ptr, size), p.dataEnd), missing, 'offset_in_bounds');
    return hostOrder(f, f.loadInt(ptr, 0, size * 8), size, f.m.i64);
  }
  // At tc the bytes may lie in the paged part: the general load reads them from there.
  const inside = f.newBlock('offset_linear');
  const outside = f.newBlock('offset_maybe_paged');
  const merge = f.newBlock('offset_read');
  b.CreateCondBr(b.CreateICmpULE(f.byteOffset(ptr, size), p.dataEnd), inside, outside);
  b.SetInsertPoint(inside);
  const linear = hostOrder(f, f.loadInt(ptr, 0, size * 8), size, f.m.i64);
  const fromInside = b.GetInsertBlock()!;
  b.CreateBr(merge);
  b.SetInsertPoint(outside);
  const dataOffset = b.CreateAdd(start, m.i64Const(offset));
  guard(f, b.CreateICmpULE(dataOffset, m.i64Const(MAX_PACKET_OFFSET - size)), missing, 'data_offset_bounded');
  const paged = pagedLoad(f, dataOffset, size, missing);
  const fromOutside = b.GetInsertBlock()!;
  b.CreateBr(merge);
  b.SetInsertPoint(merge);
  const phi = b.CreatePHI(m.i64, 2);
  phi.addIncoming(linear, fromInside);
  phi.addIncoming(paged, fromOutside);
  return phi;
}

/** `size` bytes at a bounded data offset, network order to host, as i64; `missing` past the packet. */
function loadDataBytes(f: FunctionContext, offset: LLVM.Value, size: 1 | 2 | 4, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const p = f.packet!;
  const ptr = f.byteOffset(p.data, opaque(f, offset));
  const inside = f.newBlock('offset_load');
  const outside = f.newBlock('offset_past_linear');
  b.CreateCondBr(b.CreateICmpUGT(f.byteOffset(ptr, size), p.dataEnd), outside, inside);
  b.SetInsertPoint(inside);
  const value = hostOrder(f, f.loadInt(ptr, 0, size * 8), size, f.m.i64);
  if (f.probeContext === 'xdp') {
    // At xdp the frame ends at data_end.
    b.SetInsertPoint(outside);
    b.CreateBr(missing);
    b.SetInsertPoint(inside);
    return value;
  }
  const fromInside = b.GetInsertBlock()!;
  const merge = f.newBlock('offset_loaded');
  b.CreateBr(merge);
  b.SetInsertPoint(outside);
  const paged = pagedLoad(f, offset, size, missing);
  const fromOutside = b.GetInsertBlock()!;
  b.CreateBr(merge);
  b.SetInsertPoint(merge);
  const phi = b.CreatePHI(m.i64, 2);
  phi.addIncoming(value, fromInside);
  phi.addIncoming(paged, fromOutside);
  return phi;
}

/** tc: bytes past the linear data, through bpf_skb_load_bytes; `missing` past the packet. */
function pagedLoad(f: FunctionContext, offset: LLVM.Value, size: 1 | 2 | 4, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  // One buffer per function: each load reads it right after its own helper call.
  let buffer = pagedBuffers.get(f);
  if (!buffer) pagedBuffers.set(f, (buffer = f.alloca(m.i32, 'offset_paged_bytes', true)));
  const bytes = b.CreateBitCast(buffer, m.i8p);
  const result = m.callHelper(BPF_FUNC.skb_load_bytes, m.i64, [m.i8p, m.i32, m.i8p, m.i32], [f.ctxArg, b.CreateTrunc(offset, m.i32), bytes, m.intConst(m.i32, size)]);
  guard(f, b.CreateICmpEQ(result, m.i64Const(0)), missing, 'offset_paged_ok');
  return hostOrder(f, f.loadInt(bytes, 0, size * 8), size, f.m.i64);
}

const pagedBuffers = new WeakMap<FunctionContext, LLVM.AllocaInst>();

function guard(f: FunctionContext, cond: LLVM.Value, missing: LLVM.BasicBlock, name: string): void {
  const ok = f.newBlock(name);
  f.m.b.CreateCondBr(cond, ok, missing);
  f.m.b.SetInsertPoint(ok);
}
