// The packet model in code. A prologue, run once per packet, finds where each header
// starts (l3, l4) and which protocols are there; a field read then re-checks the bounds
// of exactly the bytes it loads, because the verifier only trusts a packet pointer
// after a comparison against data_end made on that same pointer.
import type { LLVM } from './llvm.js';
import type { FunctionContext } from './function-context.js';
import {
  ETH_P_8021AD, ETH_P_8021Q, ETH_P_IP, ETH_P_IPV6, HEADER_PRESENCE, HEADERS,
  type FieldSpec, type HeaderName,
} from '../packet/model.js';

export interface PacketState {
  data: LLVM.Value;
  dataEnd: LLVM.Value;
  /** Stack slots (i64) filled by the prologue; after O2 they live in registers. */
  l2ok: LLVM.AllocaInst;
  hasVlan: LLVM.AllocaInst;
  l3proto: LLVM.AllocaInst;
  l3off: LLVM.AllocaInst;
  l4proto: LLVM.AllocaInst;
  l4off: LLVM.AllocaInst;
}

/** Where the packet's data pointers live in the program's context struct. */
const CONTEXT_LAYOUT = {
  xdp: { data: 0, dataEnd: 4 }, // struct xdp_md
  skb: { data: 76, dataEnd: 80 }, // struct __sk_buff
} as const;

const VLAN_TAG_SIZE = 4;
const ETH_HLEN = 14;

/** Emits the parse prologue at the current insert point; leaves the builder after it. */
export function emitPacketPrologue(f: FunctionContext, context: 'xdp' | 'skb'): PacketState {
  const { m } = f;
  const { b } = m;
  const layout = CONTEXT_LAYOUT[context];
  const data = loadContextPointer(f, layout.data);
  const dataEnd = loadContextPointer(f, layout.dataEnd);
  const slot = (name: string) => {
    const s = f.alloca(m.i64, name);
    b.CreateStore(m.i64Const(0), s);
    return s;
  };
  const state: PacketState = {
    data, dataEnd,
    l2ok: slot('l2ok'), hasVlan: slot('has_vlan'),
    l3proto: slot('l3proto'), l3off: slot('l3off'),
    l4proto: slot('l4proto'), l4off: slot('l4off'),
  };
  const done = f.newBlock('parsed');
  const fits = (p: LLVM.Value, bytes: number, onFail: LLVM.BasicBlock, name: string) => {
    const ok = f.newBlock(name);
    b.CreateCondBr(b.CreateICmpUGT(f.byteOffset(p, bytes), dataEnd), onFail, ok);
    b.SetInsertPoint(ok);
  };

  // Ethernet, then at most one VLAN tag.
  fits(data, ETH_HLEN, done, 'eth_ok');
  b.CreateStore(m.i64Const(1), state.l2ok);
  const outerProto = loadBigEndian(f, data, 12, 16);
  const isVlan = b.CreateOr(
    b.CreateICmpEQ(outerProto, m.i64Const(ETH_P_8021Q)),
    b.CreateICmpEQ(outerProto, m.i64Const(ETH_P_8021AD)),
  );
  const vlanBlock = f.newBlock('vlan');
  const l3Block = f.newBlock('l3');
  b.CreateStore(outerProto, state.l3proto);
  b.CreateStore(m.i64Const(ETH_HLEN), state.l3off);
  b.CreateCondBr(isVlan, vlanBlock, l3Block);

  b.SetInsertPoint(vlanBlock);
  b.CreateStore(m.i64Const(0), state.l3proto);
  fits(data, ETH_HLEN + VLAN_TAG_SIZE, done, 'vlan_ok');
  b.CreateStore(m.i64Const(1), state.hasVlan);
  b.CreateStore(loadBigEndian(f, data, ETH_HLEN + 2, 16), state.l3proto);
  b.CreateStore(m.i64Const(ETH_HLEN + VLAN_TAG_SIZE), state.l3off);
  b.CreateBr(l3Block);

  // IPv4 or IPv6: find the transport header.
  b.SetInsertPoint(l3Block);
  const l3off = b.CreateLoad(m.i64, state.l3off);
  const l3proto = b.CreateLoad(m.i64, state.l3proto);
  const l3 = f.byteOffset(data, l3off);
  const ipv4 = f.newBlock('ipv4');
  const notIpv4 = f.newBlock('not_ipv4');
  const ipv6 = f.newBlock('ipv6');
  b.CreateCondBr(b.CreateICmpEQ(l3proto, m.i64Const(ETH_P_IP)), ipv4, notIpv4);
  b.SetInsertPoint(notIpv4);
  b.CreateCondBr(b.CreateICmpEQ(l3proto, m.i64Const(ETH_P_IPV6)), ipv6, done);

  b.SetInsertPoint(ipv4);
  const noIp = f.newBlock('ip_truncated');
  fits(l3, HEADERS.ip.minSize, noIp, 'ip_ok');
  const versionIhl = b.CreateZExt(f.loadInt(l3, 0, 8), m.i64);
  const headerLength = b.CreateShl(b.CreateAnd(versionIhl, m.i64Const(0xf)), m.i64Const(2));
  const fragmentOffset = b.CreateAnd(loadBigEndian(f, l3, 6, 16), m.i64Const(0x1fff));
  const firstFragment = f.newBlock('first_fragment');
  const validIhl = b.CreateICmpUGE(headerLength, m.i64Const(HEADERS.ip.minSize));
  // Later fragments carry no transport header: they have ip but no tcp/udp.
  b.CreateCondBr(b.CreateAnd(validIhl, b.CreateICmpEQ(fragmentOffset, m.i64Const(0))), firstFragment, done);
  b.SetInsertPoint(firstFragment);
  b.CreateStore(b.CreateZExt(f.loadInt(l3, 9, 8), m.i64), state.l4proto);
  b.CreateStore(b.CreateAdd(l3off, headerLength), state.l4off);
  b.CreateBr(done);
  b.SetInsertPoint(noIp);
  b.CreateStore(m.i64Const(0), state.l3proto);
  b.CreateBr(done);

  b.SetInsertPoint(ipv6);
  const noIp6 = f.newBlock('ip6_truncated');
  fits(l3, HEADERS.ip6.minSize, noIp6, 'ip6_ok');
  b.CreateStore(b.CreateZExt(f.loadInt(l3, 6, 8), m.i64), state.l4proto);
  b.CreateStore(b.CreateAdd(l3off, m.i64Const(HEADERS.ip6.minSize)), state.l4off);
  b.CreateBr(done);
  b.SetInsertPoint(noIp6);
  b.CreateStore(m.i64Const(0), state.l3proto);
  b.CreateBr(done);

  b.SetInsertPoint(done);
  return state;
}

/** i1: the packet has this header (`tcp` alone in the language). */
export function headerPresent(f: FunctionContext, header: HeaderName): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const p = f.packet!;
  const want = HEADER_PRESENCE[header];
  const load = (s: LLVM.AllocaInst) => b.CreateLoad(m.i64, s);
  if (want.vlan) return b.CreateICmpNE(load(p.hasVlan), m.i64Const(0));
  if (want.l3 !== undefined) return b.CreateICmpEQ(load(p.l3proto), m.i64Const(want.l3));
  if (want.l4 !== undefined) {
    const l4 = b.CreateICmpEQ(load(p.l4proto), m.i64Const(want.l4));
    // ICMP means ICMPv4; IPv6's ICMP is protocol 58, a different header.
    if (header === 'icmp') return b.CreateAnd(l4, b.CreateICmpEQ(load(p.l3proto), m.i64Const(ETH_P_IP)));
    const ipPresent = b.CreateOr(
      b.CreateICmpEQ(load(p.l3proto), m.i64Const(ETH_P_IP)),
      b.CreateICmpEQ(load(p.l3proto), m.i64Const(ETH_P_IPV6)),
    );
    return b.CreateAnd(l4, ipPresent);
  }
  return b.CreateICmpNE(load(p.l2ok), m.i64Const(0));
}

/**
 * Reads header.field; branches to `missing` when the packet lacks the header or the
 * bytes. Integers come back as i64 in host order; addresses as a pointer to a stack copy.
 */
export function readField(f: FunctionContext, header: HeaderName, fieldName: string, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const p = f.packet!;
  const spec = HEADERS[header].fields[fieldName];
  if (header === 'eth' && fieldName === 'proto') {
    // The EtherType of the payload, after VLAN tags: the prologue already found it.
    guard(f, headerPresent(f, 'eth'), missing, 'eth_present');
    return b.CreateLoad(m.i64, p.l3proto);
  }
  guard(f, headerPresent(f, header), missing, `${header}_present`);
  const start = headerStart(f, header);
  const fieldPtr = f.byteOffset(start, spec.offset);
  guard(f, b.CreateICmpULE(f.byteOffset(fieldPtr, spec.size), p.dataEnd), missing, `${header}_${fieldName}_in_bounds`);
  return loadField(f, fieldPtr, spec);
}

/** pkt.len: bytes from the start of the Ethernet header to the end of the data. */
export function packetLength(f: FunctionContext): LLVM.Value {
  const { m } = f;
  const p = f.packet!;
  return m.b.CreateSub(m.b.CreatePtrToInt(p.dataEnd, m.i64), m.b.CreatePtrToInt(p.data, m.i64));
}

function headerStart(f: FunctionContext, header: HeaderName): LLVM.Value {
  const { m } = f;
  const p = f.packet!;
  switch (HEADERS[header].base) {
    case 'l2':
      return p.data;
    case 'vlan':
      return f.byteOffset(p.data, ETH_HLEN);
    case 'l3':
      return f.byteOffset(p.data, m.b.CreateLoad(m.i64, p.l3off));
    case 'l4':
      return f.byteOffset(p.data, m.b.CreateLoad(m.i64, p.l4off));
  }
}

function loadField(f: FunctionContext, ptr: LLVM.Value, spec: FieldSpec): LLVM.Value {
  const { m } = f;
  if (spec.type.kind === 'bytes') {
    const copy = f.zeroedBuffer(spec.size, 'field_copy');
    f.copyBytes(copy, 0, ptr, spec.size);
    return copy;
  }
  let v = loadBigEndian(f, ptr, 0, (spec.size * 8) as 8 | 16 | 32);
  if (spec.mask !== undefined) v = m.b.CreateAnd(v, m.i64Const(spec.mask));
  return v;
}

/** Loads a network-order integer and returns it as i64 in host order. */
function loadBigEndian(f: FunctionContext, ptr: LLVM.Value, offset: number, bits: 8 | 16 | 32): LLVM.Value {
  const { m } = f;
  const raw = f.loadInt(ptr, offset, bits);
  const host = bits === 8 ? raw : m.bswap(raw, bits);
  return m.b.CreateZExt(host, m.i64);
}

function loadContextPointer(f: FunctionContext, offset: number): LLVM.Value {
  const { m } = f;
  // The verifier rewrites these 32-bit context loads into real pointer loads.
  const value = f.loadInt(f.ctxArg, offset, 32);
  return m.b.CreateIntToPtr(m.b.CreateZExt(value, m.i64), m.i8p);
}

function guard(f: FunctionContext, cond: LLVM.Value, missing: LLVM.BasicBlock, name: string): void {
  const ok = f.newBlock(name);
  f.m.b.CreateCondBr(cond, ok, missing);
  f.m.b.SetInsertPoint(ok);
}
