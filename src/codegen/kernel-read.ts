// Kernel reads to LLVM: the checker's KernelRead plans (src/model/kernel-read.ts) become
// loads. Integers come back as i64 in host order, byte strings as a pointer to a stack
// copy, "has this header" as an i1, like every other expression.
//
// - A classic tracepoint's record is the context: aligned integers are direct context
//   loads (the verifier allows those); arrays and misaligned fields are copied with
//   bpf_probe_read_kernel, whose source may be any address.
// - A BTF-typed probe's context is an array of u64 arguments: one 8-byte load each.
// - A kprobe's context is struct pt_regs: an argument is one load of its register.
// - Memory behind a kernel pointer is always read with bpf_probe_read_kernel into the
//   stack. It works in every program type, for pointers from args and from casts
//   alike, and a bad pointer reads as zero instead of failing verification.
import type { KernelRead, PointerSource, ReadAs, SkbLayout } from '../model/kernel-read.js';
import { BPF_FUNC } from '../model/uapi.js';
import { ETH_P_IP, ETH_P_IPV6, HEADER_PRESENCE, HEADERS, type FieldSpec } from '../packet/model.js';
import type { HeaderName } from '../model/header-name.js';
import type { ExprEmitter } from './expr.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import type { Span } from '../model/ast.js';
import { reportIfHelperFailed } from './helper-errors.js';

/** skb->mac_header and friends hold this when unset ((u16)~0U). */
const HEADER_UNSET = 0xffff;

/** `at`: the expression that reads, where -k reports a read that failed. */
export function emitKernelRead(f: FunctionContext, read: KernelRead, exprs: ExprEmitter, missing: LLVM.BasicBlock, at?: Span): LLVM.Value {
  const { m } = f;
  const { b } = m;
  switch (read.kind) {
    case 'record': {
      const aligned = read.offset % read.size === 0 && [1, 2, 4, 8].includes(read.size);
      if (read.as.kind === 'int' && aligned && !read.as.bitSize) return toValue(f, f.loadInt(f.ctxArg, read.offset, read.size * 8), read.size, read.as);
      return readInto(f, f.byteOffset(f.ctxArg, read.offset), read.size, read.as, at);
    }
    case 'register':
      // pt_regs slots are 8-byte aligned and little-endian: the low bytes come first.
      return toValue(f, f.loadInt(f.ctxArg, read.offset, read.size * 8), read.size, read.as);
    case 'dataLoc': {
      // The low 16 bits are the string's offset from the start of the record.
      const loc = b.CreateZExt(f.loadInt(f.ctxArg, read.offset, 32), m.i64);
      const offset = b.CreateAnd(loc, m.i64Const(0xffff));
      const buf = f.zeroedBuffer(read.size, 'data_loc');
      m.callHelper(BPF_FUNC.probe_read_kernel_str, m.i64, [m.i8p, m.i32, m.i8p], [buf, m.intConst(m.i32, read.size), f.byteOffset(f.ctxArg, offset)]);
      return buf;
    }
    case 'arg': {
      const raw = f.loadInt(f.ctxArg, read.index * 8, 64);
      return toValue(f, read.size === 8 ? raw : b.CreateTrunc(raw, m.intType(read.size * 8)), read.size, read.as);
    }
    case 'deref': {
      const address = b.CreateAdd(pointerValue(f, read.pointer, exprs, missing, at), m.i64Const(read.offset));
      return readInto(f, b.CreateIntToPtr(address, m.i8p), read.size, read.as, at);
    }
    case 'skb':
      return skbRead(f, pointerValue(f, read.skb, exprs, missing, at), read.layout, read.header, read.field, missing);
  }
}

function pointerValue(f: FunctionContext, source: PointerSource, exprs: ExprEmitter, missing: LLVM.BasicBlock, at: Span | undefined): LLVM.Value {
  return 'read' in source ? emitKernelRead(f, source.read, exprs, missing, at) : exprs.emit(source.expr, missing);
}

/** Copies `size` bytes from kernel address `src` to the stack; integers are then loaded and converted. */
function readInto(f: FunctionContext, src: LLVM.Value, size: number, as: ReadAs, at?: Span): LLVM.Value {
  const { m } = f;
  const buf = f.zeroedBuffer(size, 'kernel_read');
  // On failure (a NULL or stale pointer) the helper zeroes the buffer: the value reads as 0
  // (and -k reports it, as bpftrace -kk does).
  const result = m.callHelper(BPF_FUNC.probe_read_kernel, m.i64, [m.i8p, m.i32, m.i8p], [buf, m.intConst(m.i32, size), src]);
  reportIfHelperFailed(f, 'probe_read', result, at);
  if (as.kind !== 'int') return buf;
  return toValue(f, f.loadInt(buf, 0, size * 8), size, as);
}

/** An integer of `size` bytes as read from memory -> i64 in host order, sign-extended when signed. */
function toValue(f: FunctionContext, raw: LLVM.Value, size: number, as: ReadAs): LLVM.Value {
  const { m } = f;
  const { b } = m;
  if (as.kind !== 'int') throw new Error('internal: toValue on bytes');
  let v = as.bigEndian && size > 1 ? m.bswap(raw, (size * 8) as 16 | 32 | 64) : raw;
  if (as.bitSize) {
    const wide = b.CreateZExt(v, m.i64);
    if (as.signed) {
      const left = b.CreateShl(wide, m.i64Const(64 - as.bitOffset! - as.bitSize));
      return b.CreateAShr(left, m.i64Const(64 - as.bitSize));
    }
    return b.CreateAnd(b.CreateLShr(wide, m.i64Const(as.bitOffset ?? 0)), m.i64Const((1n << BigInt(as.bitSize)) - 1n));
  }
  if (size === 8) return v;
  v = as.signed ? b.CreateSExt(v, m.i64) : b.CreateZExt(v, m.i64);
  return v;
}

/** `size` bytes at address `base + offset` as an unsigned i64 (host order unless bigEndian). */
function readAt(f: FunctionContext, base: LLVM.Value, offset: number, size: 1 | 2 | 8, bigEndian = false): LLVM.Value {
  const { m } = f;
  const address = m.b.CreateIntToPtr(m.b.CreateAdd(base, m.i64Const(offset)), m.i8p);
  return readInto(f, address, size, { kind: 'int', signed: false, bigEndian });
}

/**
 * The packet model through an sk_buff: headers are found from skb->head plus the
 * network header offset the stack recorded, and read with bpf_probe_read_kernel. The
 * transport header is found from the IP header itself (IHL, or 40 bytes for IPv6),
 * because the stack sets skb->transport_header late on some paths.
 *
 * Helper calls are what this costs (one is ~20 ns), so each read takes a whole block:
 * the sk_buff fields at once (they sit within 24 bytes of each other on 6.18), the first
 * 40 bytes from the network header (every IPv4 and IPv6 field, and what finds the
 * transport header), then the transport header: 3 helper calls for udp.dport where
 * one per value took 9. Measured with bpf_stats on rawtracepoint:kfree_skb keyed by
 * [ip.src, udp.dport, reason]: 268 ns per event instead of 354 (a bare count(): ~90).
 */
function skbRead(f: FunctionContext, skb: LLVM.Value, layout: SkbLayout, header: HeaderName, field: string | undefined, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const meta = skbFields(f, skb, layout);
  const proto = meta.protocol;
  const head = meta.head;
  const want = HEADER_PRESENCE[header];
  const spec = field === undefined ? undefined : HEADERS[header].fields[field];
  if (header === 'eth') {
    const present = b.CreateAnd(b.CreateICmpNE(meta.macHeader, m.i64Const(HEADER_UNSET)), b.CreateICmpNE(head, m.i64Const(0)));
    if (!spec) return present;
    guard(f, present, missing, 'skb_eth_present');
    if (field === 'proto') return proto;
    return fieldFrom(f, readBlock(f, b.CreateAdd(head, meta.macHeader), HEADERS.eth.minSize), spec);
  }
  const network = b.CreateAdd(head, meta.networkHeader);
  const isV4 = b.CreateICmpEQ(proto, m.i64Const(ETH_P_IP));
  const isV6 = b.CreateICmpEQ(proto, m.i64Const(ETH_P_IPV6));
  const l3 = readBlock(f, network, HEADERS.ip6.minSize);
  if (want.l3 !== undefined) {
    const present = want.l3 === ETH_P_IP ? isV4 : want.l3 === ETH_P_IPV6 ? isV6 : b.CreateICmpEQ(proto, m.i64Const(want.l3));
    if (!spec) return present;
    guard(f, present, missing, `skb_${header}_present`);
    return fieldFrom(f, l3, spec);
  }
  // Transport headers: where they start and which protocol they are, for both IP versions.
  const byte = (offset: number) => b.CreateZExt(f.loadInt(l3, offset, 8), m.i64);
  const ihl = b.CreateShl(b.CreateAnd(byte(0), m.i64Const(0xf)), m.i64Const(2));
  const fragment = b.CreateAnd(b.CreateZExt(m.bswap(f.loadInt(l3, 6, 16), 16), m.i64), m.i64Const(0x1fff));
  const v4Ok = b.CreateAnd(isV4, b.CreateAnd(b.CreateICmpUGE(ihl, m.i64Const(20)), b.CreateICmpEQ(fragment, m.i64Const(0))));
  const l4proto = b.CreateSelect(isV4, byte(9), byte(6));
  // icmp belongs to IPv4 only and icmp6 to IPv6 only (l3of); tcp and udp to both.
  const family = want.l3of === ETH_P_IP ? v4Ok : want.l3of === ETH_P_IPV6 ? isV6 : b.CreateOr(v4Ok, isV6);
  const present = b.CreateAnd(family, b.CreateICmpEQ(l4proto, m.i64Const(want.l4!)));
  if (!spec) return present;
  guard(f, present, missing, `skb_${header}_present`);
  const l4 = b.CreateAdd(network, b.CreateSelect(isV4, ihl, m.i64Const(HEADERS.ip6.minSize)));
  return fieldFrom(f, readBlock(f, l4, HEADERS[header].minSize), spec);
}

/** skb->protocol (host order), head, network_header and mac_header, in one read when they are close. */
function skbFields(f: FunctionContext, skb: LLVM.Value, layout: SkbLayout): { protocol: LLVM.Value; head: LLVM.Value; networkHeader: LLVM.Value; macHeader: LLVM.Value } {
  const { m } = f;
  const { b } = m;
  const wanted = { protocol: { at: layout.protocol, size: 2 }, head: { at: layout.head, size: 8 }, networkHeader: { at: layout.networkHeader, size: 2 }, macHeader: { at: layout.macHeader, size: 2 } };
  // The copy starts 8-byte aligned, like the kernel struct it copies, so `head` lands on
  // an 8-byte boundary of the stack buffer: kernels before 6.x refuse a misaligned
  // 8-byte stack load ("misaligned stack access"), which a copy starting at `protocol`
  // (4 mod 8 on 6.1) would make.
  const lo = Math.floor(Math.min(...Object.values(wanted).map((w) => w.at)) / 8) * 8;
  const hi = Math.max(...Object.values(wanted).map((w) => w.at + w.size));
  const value = (w: { at: number; size: 2 | 8 }, block: LLVM.Value | undefined, bigEndian = false) => {
    if (!block) return readAt(f, skb, w.at, w.size, bigEndian);
    const raw = f.loadInt(block, w.at - lo, w.size * 8);
    return w.size === 8 ? raw : b.CreateZExt(bigEndian ? m.bswap(raw, 16) : raw, m.i64);
  };
  const block = hi - lo <= 64 ? readBlock(f, b.CreateAdd(skb, m.i64Const(lo)), hi - lo) : undefined;
  return {
    protocol: value(wanted.protocol as { at: number; size: 2 }, block, true),
    head: value(wanted.head as { at: number; size: 8 }, block),
    networkHeader: value(wanted.networkHeader as { at: number; size: 2 }, block),
    macHeader: value(wanted.macHeader as { at: number; size: 2 }, block),
  };
}

/** `size` bytes at kernel address `address` (an i64), copied to the stack. */
function readBlock(f: FunctionContext, address: LLVM.Value, size: number): LLVM.Value {
  return readInto(f, f.m.b.CreateIntToPtr(address, f.m.i8p), size, { kind: 'bytes' });
}

/** A packet-model field out of a header copied to the stack: network order to host order. */
function fieldFrom(f: FunctionContext, header: LLVM.Value, spec: FieldSpec): LLVM.Value {
  const { m } = f;
  if (spec.type.kind === 'bytes') return f.byteOffset(header, spec.offset);
  const raw = f.loadInt(header, spec.offset, spec.size * 8);
  const host = spec.size === 1 ? raw : m.bswap(raw, (spec.size * 8) as 16 | 32);
  let value = m.b.CreateZExt(host, m.i64);
  if (spec.shift) value = m.b.CreateLShr(value, m.i64Const(spec.shift));
  return spec.mask !== undefined ? m.b.CreateAnd(value, m.i64Const(spec.mask)) : value;
}

function guard(f: FunctionContext, cond: LLVM.Value, missing: LLVM.BasicBlock, name: string): void {
  const ok = f.newBlock(name);
  f.m.b.CreateCondBr(cond, ok, missing);
  f.m.b.SetInsertPoint(ok);
}
