// Tunnelled packets: `inner`, `inner.ip.src`, `inner.tcp.dport`, ... behind VXLAN (UDP
// 4789), Geneve (UDP 6081) and GRE (IP protocol 47), with Ethernet inside (VXLAN, and
// Geneve/GRE with protocol type 0x6558) or IP directly (protocol type 0x0800 / 0x86dd).
//
// After the outer prologue, a program that reads `inner` finds the tunnel header and
// parses the packet behind it into a second packet state with the outer prologue's own
// steps (packet.ts), relative to where the inner packet starts. Its slots stay 0 when
// there is no tunnel, so every inner header is then simply missing. A field is read by
// pointing the ordinary field reader at that state: same types, same missing rule, same
// bounds checks.
import type { Expr, Stmt } from '../model/ast.js';
import type { HeaderName } from '../model/header-name.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { emitTunnelledPacketParse, headerPresent, packetSlots, readField, type PacketState } from './packet.js';
import { ETH_P_IP, ETH_P_IPV6 } from '../packet/model.js';
import { emitPacketStateBarrier } from './packet-state-barrier.js';
import {
  ETH_P_TEB, GENEVE_HEADER, GENEVE_PORT, GRE_FLAG_CHECKSUM, GRE_FLAG_KEY, GRE_FLAG_ROUTING, GRE_FLAG_SEQUENCE,
  GRE_HEADER, IPPROTO_GRE, VXLAN_HEADER, VXLAN_PORT,
} from '../packet/tunnels.js';

interface TunnelState {
  /** The inner packet's slots; its `data` is set at each use (see view()). */
  inner: PacketState;
  /** Where the inner packet starts, from the outer data. */
  innerOffset: LLVM.AllocaInst;
  /** 1 when a tunnel header was whole and the inner packet has at least its first byte. */
  present: LLVM.AllocaInst;
}

const tunnels = new WeakMap<FunctionContext, TunnelState>();
/** Inner-start kinds the tunnels hand to the common parse. */
const STARTS_WITH_ETHERNET = 1;
const STARTS_WITH_IP = 2;

/** True when any statement or predicate of the blocks reads `inner`. */
export function blocksUseInner(blocks: Array<{ predicate?: Expr; body: Stmt[] }>): boolean {
  const seen = new Set<object>();
  const walk = (node: unknown): boolean => {
    if (!node || typeof node !== 'object' || seen.has(node)) return false;
    seen.add(node);
    if ((node as { kind?: string }).kind === 'Ident' && (node as { name?: string }).name === 'inner') return true;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'span' || key === 'nameSpan') continue;
      if (Array.isArray(value) ? value.some(walk) : walk(value)) return true;
    }
    return false;
  };
  return blocks.some((b) => walk(b.predicate) || b.body.some(walk));
}

/** Emits the tunnel parse at the current insert point (after the outer prologue); leaves the builder after it. */
export function emitTunnelPrologue(f: FunctionContext): void {
  const { m } = f;
  const { b } = m;
  // The outer parse's paths are made one first (see the barrier at the end), so the
  // tunnel parse is followed once, not once per outer path.
  const context = f.probeContext === 'xdp' ? 'xdp' : 'skb';
  const outer = (f.packet = emitPacketStateBarrier(f, f.packet!, context));
  const slot = (name: string) => {
    const s = f.alloca(m.i64, name);
    b.CreateStore(m.i64Const(0), s);
    return s;
  };
  const state: TunnelState = {
    inner: packetSlots(f, outer.data, outer.dataEnd, 'inner_'),
    innerOffset: slot('tunnel_inner_offset'),
    present: slot('tunnel_present'),
  };
  tunnels.set(f, state);
  const startKind = slot('tunnel_inner_start');
  const done = f.newBlock('tunnel_done');
  const start = f.newBlock('tunnel_inner_start');
  const c = (n: number) => m.i64Const(n);
  const load = (s: LLVM.AllocaInst) => b.CreateLoad(m.i64, s);
  const guard = (cond: LLVM.Value, name: string, otherwise = done) => {
    const ok = f.newBlock(name);
    b.CreateCondBr(cond, ok, otherwise);
    b.SetInsertPoint(ok);
  };
  const fits = (p: LLVM.Value, bytes: number, name: string) => guard(b.CreateICmpULE(f.byteOffset(p, bytes), outer.dataEnd), name);
  const be16 = (p: LLVM.Value, offset: number) => b.CreateZExt(m.bswap(f.loadInt(p, offset, 16), 16), m.i64);
  /** Hands the inner packet to the common parse: Ethernet, or IP with this EtherType. */
  const startsWith = (offset: LLVM.Value, protocolType: LLVM.Value) => {
    b.CreateStore(offset, state.innerOffset);
    const teb = f.newBlock('tunnel_teb');
    const notTeb = f.newBlock('tunnel_not_teb');
    const ip = f.newBlock('tunnel_ip');
    b.CreateCondBr(b.CreateICmpEQ(protocolType, c(ETH_P_TEB)), teb, notTeb);
    b.SetInsertPoint(teb);
    b.CreateStore(c(STARTS_WITH_ETHERNET), startKind);
    b.CreateBr(start);
    b.SetInsertPoint(notTeb);
    b.CreateCondBr(b.CreateOr(b.CreateICmpEQ(protocolType, c(ETH_P_IP)), b.CreateICmpEQ(protocolType, c(ETH_P_IPV6))), ip, done);
    b.SetInsertPoint(ip);
    b.CreateStore(c(STARTS_WITH_IP), startKind);
    b.CreateStore(protocolType, state.inner.l3proto);
    b.CreateStore(b.CreateZExt(m.bswap(b.CreateTrunc(protocolType, m.i16), 16), m.i64), state.inner.l3protoRaw);
    b.CreateBr(start);
  };

  const l4off = load(outer.l4off);
  const l4 = f.byteOffset(outer.data, l4off);
  const udp = f.newBlock('tunnel_udp');
  const notUdp = f.newBlock('tunnel_not_udp');
  b.CreateCondBr(headerPresent(f, 'udp'), udp, notUdp);

  // VXLAN and Geneve: by the UDP destination port, as the kernel's tunnel devices do.
  b.SetInsertPoint(udp);
  fits(l4, 8 + GENEVE_HEADER, 'tunnel_udp_header');
  const dport = be16(l4, 2);
  const vxlan = f.newBlock('tunnel_vxlan');
  const notVxlan = f.newBlock('tunnel_not_vxlan');
  b.CreateCondBr(b.CreateICmpEQ(dport, c(VXLAN_PORT)), vxlan, notVxlan);
  b.SetInsertPoint(vxlan);
  startsWith(b.CreateAdd(l4off, c(8 + VXLAN_HEADER)), c(ETH_P_TEB));
  b.SetInsertPoint(notVxlan);
  guard(b.CreateICmpEQ(dport, c(GENEVE_PORT)), 'tunnel_geneve');
  const versionAndOptions = b.CreateZExt(f.loadInt(l4, 8, 8), m.i64);
  guard(b.CreateICmpEQ(b.CreateLShr(versionAndOptions, c(6)), c(0)), 'tunnel_geneve_version');
  const options = b.CreateShl(b.CreateAnd(versionAndOptions, c(0x3f)), c(2));
  startsWith(b.CreateAdd(b.CreateAdd(l4off, c(8 + GENEVE_HEADER)), options), be16(l4, 10));

  // GRE version 0 behind IPv4 or IPv6: 4 bytes, then a word for each of checksum, key, sequence.
  b.SetInsertPoint(notUdp);
  const network = b.CreateOr(headerPresent(f, 'ip'), headerPresent(f, 'ip6'));
  guard(b.CreateAnd(network, b.CreateICmpEQ(load(outer.l4proto), c(IPPROTO_GRE))), 'tunnel_gre');
  fits(l4, GRE_HEADER, 'tunnel_gre_header');
  const flags = be16(l4, 0);
  // Version 0 only (1 is PPTP's enhanced GRE); source routing (RFC 1701) is not followed.
  guard(b.CreateICmpEQ(b.CreateAnd(flags, c(0x7 | GRE_FLAG_ROUTING)), c(0)), 'tunnel_gre_v0');
  let length: LLVM.Value = c(GRE_HEADER);
  for (const flag of [GRE_FLAG_CHECKSUM, GRE_FLAG_KEY, GRE_FLAG_SEQUENCE]) {
    length = b.CreateAdd(length, b.CreateSelect(b.CreateICmpNE(b.CreateAnd(flags, c(flag)), c(0)), c(4), c(0)));
  }
  startsWith(b.CreateAdd(l4off, length), be16(l4, 2));

  // The inner packet, from its first byte: the same steps as the outer prologue.
  b.SetInsertPoint(start);
  const innerData = f.byteOffset(outer.data, load(state.innerOffset));
  fits(innerData, 1, 'tunnel_inner_started');
  b.CreateStore(c(1), state.present);
  const inner: PacketState = { ...state.inner, data: innerData };
  const ethernet = f.newBlock('tunnel_inner_ethernet');
  const ip = f.newBlock('tunnel_inner_ip');
  b.CreateCondBr(b.CreateICmpEQ(load(startKind), c(STARTS_WITH_ETHERNET)), ethernet, ip);
  b.SetInsertPoint(ethernet);
  emitTunnelledPacketParse(f, inner, 'ethernet', done);
  b.SetInsertPoint(ip);
  // IP carried directly: no Ethernet header (inner.eth is missing), the network header at 0.
  b.CreateStore(c(0), state.inner.l3off);
  emitTunnelledPacketParse(f, inner, 'network', done);
  b.SetInsertPoint(done);
  // Two parses in a row multiply their paths (outer x inner): without barriers the
  // verifier gives up after three statements. The barrier (packet-state-barrier.ts) makes
  // every path leave the same unknown-but-bounded values, here for the inner state and the
  // tunnel's own two slots (passed as the offset and flag slots they resemble).
  emitPacketStateBarrier(f, state.inner, context);
  emitPacketStateBarrier(f, { l3off: state.innerOffset, l2ok: state.present } as unknown as PacketState, context);
}

/** i1: `inner` (a tunnel with a packet behind it). */
export function tunnelPresent(f: FunctionContext): LLVM.Value {
  const { m } = f;
  return m.b.CreateICmpNE(m.b.CreateLoad(m.i64, tunnels.get(f)!.present), m.i64Const(0));
}

/** i1: `inner.tcp`: the tunnelled packet has this header. */
export function innerHeaderPresent(f: FunctionContext, header: HeaderName): LLVM.Value {
  return withInner(f, () => headerPresent(f, header));
}

/** `inner.ip.src`: as the outer field, on the tunnelled packet; `missing` without a tunnel. */
export function readInnerField(f: FunctionContext, header: HeaderName, field: string, missing: LLVM.BasicBlock): LLVM.Value {
  return withInner(f, () => readField(f, header, field, missing));
}

/** Runs `read` with the tunnelled packet as the packet, its data recomputed here (dominance). */
function withInner<T>(f: FunctionContext, read: () => T): T {
  const { m } = f;
  const state = tunnels.get(f)!;
  const outer = f.packet!;
  // No l3ptr: the tunnelled packet's reads start from this recomputed data pointer.
  f.packet = { ...state.inner, data: f.byteOffset(outer.data, m.b.CreateLoad(m.i64, state.innerOffset)), l3ptr: undefined };
  try {
    return read();
  } finally {
    f.packet = outer;
  }
}

/** The header name `inner.X` names, when `e` is `inner.X`. */
export function innerHeaderOf(e: Expr): string | undefined {
  return e.kind === 'Field' && e.object.kind === 'Ident' && e.object.name === 'inner' ? e.name : undefined;
}
