// The packet model in code. A prologue, run once per packet, finds where each header
// starts (l3, l4), which protocols are there and the VLAN tag; a field read then
// re-checks the bounds of exactly the bytes it loads, because the verifier only trusts a
// packet pointer after a comparison against data_end made on that same pointer.
//
// What the prologue walks, and its limits (docs/language.md, "The packet model"):
// - Ethernet, then up to two 802.1Q/802.1ad tags in the data. On tc the kernel has
//   usually moved the outer tag out of the data into skb->vlan_tci; it is read from there.
// - IPv4 with options (ihl); a fragment other than the first has no transport header.
// - IPv6 and up to IPV6_EXTENSION_LIMIT extension headers (hop-by-hop, routing,
//   fragment, destination options, AH); the transport header is the one after them.
import type { LLVM } from './llvm.js';
import type { FunctionContext } from './function-context.js';
import {
  ETH_P_IP, ETH_P_IPV6, HEADER_PRESENCE, HEADERS, IPV6_EXTENSION_HEADERS, VLAN_TPIDS,
  type FieldSpec,
} from '../packet/model.js';
import type { HeaderName } from '../model/header-name.js';

export interface PacketState {
  data: LLVM.Value;
  dataEnd: LLVM.Value;
  /** Stack slots (i64) filled by the prologue; after O2 they live in registers. */
  l2ok: LLVM.AllocaInst;
  hasVlan: LLVM.AllocaInst;
  /** The outer VLAN tag's TCI (priority, DEI, id), wherever it was found. */
  vlanTci: LLVM.AllocaInst;
  /** The EtherType after the VLAN tags (eth.proto), even when that header is cut short. */
  ethProto: LLVM.AllocaInst;
  /** 1 when ethProto was read: a VLAN tag cut short leaves the EtherType behind it missing. */
  ethProtoOk: LLVM.AllocaInst;
  /** 1 when vlanTci was read whole (from the metadata, or both bytes of the tag's TCI). */
  vlanTciOk: LLVM.AllocaInst;
  /** 1 when the kernel took the outer tag into the metadata (tc): it counts as one of the two tags. */
  vlanInMetadata: LLVM.AllocaInst;
  /** The outer tag's TPID (vlan.tpid), wherever the tag was found. */
  vlanTpid: LLVM.AllocaInst;
  /** 1 when a second tag was walked (vlan[1]): the first in the data when the outer one is in the metadata. */
  innerVlan: LLVM.AllocaInst;
  /** The inner tag's TCI and TPID (vlan[1].id, .pcp, .tpid), and whether its TCI was whole. */
  innerVlanTci: LLVM.AllocaInst;
  innerVlanTciOk: LLVM.AllocaInst;
  innerVlanTpid: LLVM.AllocaInst;
  /** The EtherType of the network header found whole; 0 when there is none. */
  l3proto: LLVM.AllocaInst;
  /**
   * The EtherType the walk arrived at, in network order (as a 16-bit load sees it),
   * whether or not a byte of that header is there (0 when the Ethernet header or a VLAN
   * tag is cut short). A field read checks its own bytes, which covers the header's first
   * byte: compared with this, the first-byte check is left to programs that ask for the
   * header alone (`ip`), 3 instructions less. Network order because the VLAN walk and
   * the IPv4/IPv6 dispatch test the EtherType that way: with one value to follow, LLVM
   * drops the byte swaps (and does not duplicate header walks to track two values).
   */
  l3protoSeen: LLVM.AllocaInst;
  /** The EtherType as the packet holds it (network order), beside l3proto (host order). */
  l3protoRaw: LLVM.AllocaInst;
  l3off: LLVM.AllocaInst;
  /**
   * data + l3off, as a pointer (i64), set where l3off is: a field of the network header
   * is read through it. LLVM then carries the pointer each path already checked (data+14,
   * +18, +22) instead of an offset added at the read: one add, and the field's offset
   * folds into the load, 4 instructions less in the XDP one-liner (issue 12). Absent
   * after a packet-state barrier and for a tunnelled packet, whose reads must start from
   * the data pointer reloaded there: headerStart then adds l3off as before.
   */
  l3ptr?: LLVM.AllocaInst;
  l4proto: LLVM.AllocaInst;
  l4off: LLVM.AllocaInst;
}

interface ContextLayout {
  /** Offsets of the 32-bit data / data_end fields in the context struct. */
  data: number;
  dataEnd: number;
  /** Offset of a u32 holding the packet's full length, when the context has one. */
  length?: number;
  /** Where the stack keeps a VLAN tag it took out of the data (__sk_buff). */
  vlanMetadata?: { present: number; tci: number; proto: number };
}

export type PacketContext = 'xdp' | 'skb';

/** Where the packet lives in the program's context struct. */
const CONTEXT_LAYOUT: Record<PacketContext, ContextLayout> = {
  xdp: { data: 0, dataEnd: 4 }, // struct xdp_md
  // struct __sk_buff: len 0, vlan_present 20, vlan_tci 24, data 76, data_end 80
  skb: { data: 76, dataEnd: 80, length: 0, vlanMetadata: { present: 20, tci: 24, proto: 28 } },
};

const VLAN_TAG_SIZE = 4;
const ETH_HLEN = 14;
/** VLAN tags read from the data: one, or two for 802.1ad (QinQ). */
const VLAN_TAGS_IN_DATA = 2;
/** IPv6 extension headers walked before giving up on finding the transport header. */
const IPV6_EXTENSION_LIMIT = 4;
const IPPROTO_FRAGMENT = 44;
const IPPROTO_AH = 51;

/**
 * Emits the parse prologue at the current insert point; leaves the builder after it.
 * `barriered`: a packet-state barrier follows (packet-state-barrier.ts), which keeps
 * every slot the prologue fills alive.
 */
export function emitPacketPrologue(f: FunctionContext, context: PacketContext, barriered: boolean): PacketState {
  const { m } = f;
  const { b } = m;
  const layout = CONTEXT_LAYOUT[context];
  const data = loadContextPointer(f, layout.data);
  const dataEnd = loadContextPointer(f, layout.dataEnd);
  const state = packetSlots(f, data, dataEnd, '');
  const done = f.newBlock('parsed');
  const parser = new PrologueParser(f, state, done, barriered);

  if (layout.vlanMetadata) parser.vlanFromMetadata(layout.vlanMetadata);
  parser.ethernet();
  parser.network();

  b.SetInsertPoint(done);
  return state;
}

/**
 * The slots of one packet state, zeroed here (nothing found yet): the outer packet's, or,
 * with a prefix, a tunnelled packet's (codegen/tunnel.ts), which only tunnels fill.
 */
export function packetSlots(f: FunctionContext, data: LLVM.Value, dataEnd: LLVM.Value, prefix: string): PacketState {
  const { m } = f;
  const slot = (name: string) => {
    const s = f.alloca(m.i64, prefix + name);
    m.b.CreateStore(m.i64Const(0), s);
    return s;
  };
  return {
    data, dataEnd,
    l2ok: slot('l2ok'), hasVlan: slot('has_vlan'), vlanTci: slot('vlan_tci'), ethProto: slot('eth_proto'),
    ethProtoOk: slot('eth_proto_ok'), vlanTciOk: slot('vlan_tci_ok'), vlanInMetadata: slot('vlan_in_metadata'), vlanTpid: slot('vlan_tpid'),
    innerVlan: slot('inner_vlan'), innerVlanTci: slot('inner_vlan_tci'), innerVlanTciOk: slot('inner_vlan_tci_ok'), innerVlanTpid: slot('inner_vlan_tpid'),
    l3proto: slot('l3proto'), l3protoSeen: slot('l3proto_seen'), l3protoRaw: slot('l3proto_raw'), l3off: slot('l3off'), l3ptr: slot('l3ptr'),
    l4proto: slot('l4proto'), l4off: slot('l4off'),
  };
}

/**
 * Parses a tunnelled packet into `state` (whose data is where that packet starts), as
 * the prologue parses the outer one: from its Ethernet header, or, for IP carried
 * directly (IP-in-GRE, Geneve with an IP protocol type), from the network header whose
 * EtherType the caller stored in l3proto. Every path ends in `done`.
 */
export function emitTunnelledPacketParse(f: FunctionContext, state: PacketState, from: 'ethernet' | 'network', done: LLVM.BasicBlock): void {
  // A tunnelled packet's state always goes through a barrier (tunnel.ts).
  const parser = new PrologueParser(f, state, done, true);
  if (from === 'ethernet') parser.ethernet();
  parser.network();
}

/** The prologue's steps; each leaves the builder where the next one continues. */
class PrologueParser {
  constructor(
    private readonly f: FunctionContext,
    private readonly s: PacketState,
    /** Where parsing ends early: the slots already say what was found. */
    private readonly done: LLVM.BasicBlock,
    /** Every slot stays alive (a barrier follows): see ethernet(). */
    private readonly barriered: boolean,
  ) {}

  private get b(): LLVM.IRBuilder {
    return this.f.m.b;
  }

  private load(slot: LLVM.AllocaInst): LLVM.Value {
    return this.b.CreateLoad(this.f.m.i64, slot);
  }

  private store(slot: LLVM.AllocaInst, value: LLVM.Value | number): void {
    this.b.CreateStore(typeof value === 'number' ? this.f.m.i64Const(value) : value, slot);
  }

  private eq(v: LLVM.Value, constant: number): LLVM.Value {
    return this.b.CreateICmpEQ(v, this.f.m.i64Const(constant));
  }

  /** l3proto (host order) and l3protoRaw (network order) from the EtherType at `p + offset`. */
  private storeEtherType(p: LLVM.Value, offset: number): void {
    const { m } = this.f;
    const raw = this.f.loadInt(p, offset, 16);
    this.store(this.s.l3protoRaw, this.b.CreateZExt(raw, m.i64));
    this.store(this.s.l3proto, this.b.CreateZExt(m.bswap(raw, 16), m.i64));
  }

  /** l3ptr: data + `offset` (see PacketState). */
  private storeL3Pointer(offset: number): void {
    if (this.s.l3ptr) this.store(this.s.l3ptr, this.b.CreatePtrToInt(this.f.byteOffset(this.s.data, offset), this.f.m.i64));
  }

  /** Continues in a new block when `bytes` from `p` are inside the packet, else goes to `onFail`. */
  private fits(p: LLVM.Value, bytes: number, onFail: LLVM.BasicBlock, name: string): void {
    const ok = this.f.newBlock(name);
    this.b.CreateCondBr(this.b.CreateICmpUGT(this.f.byteOffset(p, bytes), this.s.dataEnd), onFail, ok);
    this.b.SetInsertPoint(ok);
  }

  /** Continues in a new block when `cond` holds, else goes to `otherwise`. */
  private when(cond: LLVM.Value, otherwise: LLVM.BasicBlock, name: string): void {
    const yes = this.f.newBlock(name);
    this.b.CreateCondBr(cond, yes, otherwise);
    this.b.SetInsertPoint(yes);
  }

  /** tc: the stack usually took the outer tag out of the data (skb->vlan_tci). */
  vlanFromMetadata(at: { present: number; tci: number; proto: number }): void {
    const { f } = this;
    const { m } = f;
    const present = this.b.CreateICmpNE(f.loadInt(f.ctxArg, at.present, 32), m.intConst(m.i32, 0));
    const tagged = f.newBlock('vlan_metadata');
    const after = f.newBlock('vlan_metadata_done');
    this.b.CreateCondBr(present, tagged, after);
    this.b.SetInsertPoint(tagged);
    this.store(this.s.hasVlan, 1);
    this.store(this.s.vlanInMetadata, 1);
    this.store(this.s.vlanTciOk, 1);
    this.store(this.s.vlanTci, this.b.CreateZExt(f.loadInt(f.ctxArg, at.tci, 32), m.i64));
    // vlan_proto is kept in network order.
    this.store(this.s.vlanTpid, this.b.CreateZExt(m.bswap(this.b.CreateTrunc(f.loadInt(f.ctxArg, at.proto, 32), m.intType(16)), 16), m.i64));
    this.b.CreateBr(after);
    this.b.SetInsertPoint(after);
  }

  /**
   * Ethernet and the VLAN tags in the data; leaves ethProto, l3proto and l3off set. Two
   * tags at most, counting the one the kernel moved into the metadata at tc, so xdp and
   * tc walk the same tags of the same frame. A tag counts from its first byte; its TCI
   * (vlan.id, vlan.pcp) only when both bytes are there, and a tag cut short leaves the
   * EtherType behind it, and every header after, missing.
   *
   * Each tag is tested whole first (all 4 bytes there: the tag, its TCI and the next
   * EtherType at once), and only a tag cut short goes through the byte-by-byte steps.
   * Those steps record nothing but the tag's own fields, so in a program that reads none
   * of them LLVM drops them: one bounds check per tag instead of three (issue 12). When a
   * barrier follows, every slot is stored and so alive, and that split only copies the
   * recording (a tunnel program grew by 160 instructions): the steps then run in order,
   * first byte, TCI, whole tag, as before.
   */
  ethernet(): void {
    const { f, s } = this;
    const { m } = f;
    this.fits(s.data, ETH_HLEN, this.done, 'eth_ok');
    this.store(s.l2ok, 1);
    this.store(s.ethProtoOk, 1);
    this.storeEtherType(s.data, 12);
    this.store(s.l3off, ETH_HLEN);
    this.storeL3Pointer(ETH_HLEN);
    const cut = f.newBlock('vlan_cut');
    // An EtherType that is not a tag ends the walk at once: the next copy would test the
    // same value again (LLVM kept both tests, 4 instructions on every packet).
    const tagsDone = f.newBlock('vlan_tags_done');
    for (let i = 0; i < VLAN_TAGS_IN_DATA; i++) {
      const next = f.newBlock(`vlan${i}_done`);
      const proto = this.load(s.l3proto);
      // Tested in network order: the host-order EtherType is then needed only by what reads it.
      const raw = this.load(s.l3protoRaw);
      let isTag = VLAN_TPIDS.map((tpid) => this.eq(raw, networkOrder16(tpid))).reduce((a, c) => this.b.CreateOr(a, c));
      if (i > 0) isTag = this.b.CreateAnd(isTag, this.eq(this.load(s.vlanInMetadata), 0));
      this.when(isTag, tagsDone, `vlan${i}`);
      const tagOffset = ETH_HLEN + i * VLAN_TAG_SIZE;
      if (this.barriered) this.tagStepByStep(i, proto, tagOffset, cut, next);
      else this.tagWholeFirst(i, proto, tagOffset, cut, next);
      this.b.SetInsertPoint(next);
    }
    this.b.CreateBr(tagsDone);
    this.b.SetInsertPoint(tagsDone);
    this.store(s.ethProto, this.load(s.l3proto));
    const after = this.b.GetInsertBlock()!;
    this.b.SetInsertPoint(cut);
    this.store(s.l3proto, 0);
    this.store(s.ethProtoOk, m.i64Const(0));
    this.b.CreateBr(this.done);
    this.b.SetInsertPoint(after);
  }

  /** Tag `i` at `tagOffset`: whole (then on to `next`) or cut short (recorded as far as it goes, then `cut`). */
  private tagWholeFirst(i: number, proto: LLVM.Value, tagOffset: number, cut: LLVM.BasicBlock, next: LLVM.BasicBlock): void {
    const { f, s } = this;
    const whole = f.newBlock(`vlan${i}_whole`);
    const short = f.newBlock(`vlan${i}_cut_short`);
    this.b.CreateCondBr(this.b.CreateICmpUGT(f.byteOffset(s.data, tagOffset + VLAN_TAG_SIZE), s.dataEnd), short, whole);

    this.b.SetInsertPoint(whole);
    const recorded = f.newBlock(`vlan${i}_recorded`);
    this.recordTag(i, proto, tagOffset, recorded);
    this.b.SetInsertPoint(recorded);
    this.stepOverTag(tagOffset, next);

    this.b.SetInsertPoint(short);
    this.recordTagFromFirstByte(i, proto, tagOffset, cut, cut);
  }

  /** The same, in the order the tag's bytes come: its first byte, its TCI, the whole tag. */
  private tagStepByStep(i: number, proto: LLVM.Value, tagOffset: number, cut: LLVM.BasicBlock, next: LLVM.BasicBlock): void {
    const recorded = this.f.newBlock(`vlan${i}_recorded`);
    this.recordTagFromFirstByte(i, proto, tagOffset, cut, recorded);
    this.b.SetInsertPoint(recorded);
    this.fits(this.s.data, tagOffset + VLAN_TAG_SIZE, cut, `vlan${i}_ok`);
    this.stepOverTag(tagOffset, next);
  }

  /**
   * The tag from its first byte (with none of it there, on to `absent`), its TCI when
   * both of its bytes are there; then on to `then`.
   */
  private recordTagFromFirstByte(i: number, proto: LLVM.Value, tagOffset: number, absent: LLVM.BasicBlock, then: LLVM.BasicBlock): void {
    const { f, s } = this;
    this.fits(s.data, tagOffset + 1, absent, `vlan${i}_started`);
    const tciWhole = f.newBlock(`vlan${i}_tci_whole`);
    const tciCut = f.newBlock(`vlan${i}_tci_cut`);
    this.b.CreateCondBr(this.b.CreateICmpUGT(f.byteOffset(s.data, tagOffset + 2), s.dataEnd), tciCut, tciWhole);
    this.b.SetInsertPoint(tciWhole);
    this.recordTag(i, proto, tagOffset, then);
    this.b.SetInsertPoint(tciCut);
    this.recordTag(i, proto, undefined, then);
  }

  /** Past the whole tag at `tagOffset`: the network header follows it, for now; then on to `next`. */
  private stepOverTag(tagOffset: number, next: LLVM.BasicBlock): void {
    this.storeEtherType(this.s.data, tagOffset + 2);
    this.store(this.s.l3off, tagOffset + VLAN_TAG_SIZE);
    this.storeL3Pointer(tagOffset + VLAN_TAG_SIZE);
    this.b.CreateBr(next);
  }

  /**
   * Records tag number `i` in the data (its TPID `tpid`, its TCI read at `tciOffset` when
   * given), then goes to `then`. The outermost tag is the packet's VLAN (vlan, vlan[0]),
   * unless the metadata already had one: then this in-data tag is the inner one
   * (vlan[1]), as the second tag in the data always is.
   */
  private recordTag(i: number, tpid: LLVM.Value, tciOffset: number | undefined, then: LLVM.BasicBlock): void {
    const { f, s } = this;
    const record = (present: LLVM.AllocaInst, tpidSlot: LLVM.AllocaInst, tciSlot: LLVM.AllocaInst, tciOk: LLVM.AllocaInst) => {
      this.store(present, 1);
      this.store(tpidSlot, tpid);
      if (tciOffset !== undefined) {
        this.store(tciSlot, loadBigEndian(f, s.data, tciOffset, 16));
        this.store(tciOk, 1);
      }
      this.b.CreateBr(then);
    };
    const inner = f.newBlock(`vlan${i}_inner`);
    if (i === 0) {
      const own = f.newBlock(`vlan${i}_own`);
      this.b.CreateCondBr(this.eq(this.load(s.hasVlan), 0), own, inner);
      this.b.SetInsertPoint(own);
      record(s.hasVlan, s.vlanTpid, s.vlanTci, s.vlanTciOk);
    } else this.b.CreateBr(inner);
    this.b.SetInsertPoint(inner);
    record(s.innerVlan, s.innerVlanTpid, s.innerVlanTci, s.innerVlanTciOk);
  }

  /** IPv4 or IPv6: fills l4proto/l4off when a transport header follows. */
  network(): void {
    const { f, s } = this;
    this.store(s.l3protoSeen, this.load(s.l3protoRaw));
    // Any network header counts from its first byte (the one rule): ARP too.
    this.fits(f.byteOffset(s.data, this.load(s.l3off)), 1, this.truncatedNetworkHeader(), 'l3_started');
    // Dispatched on the network-order EtherType, as the VLAN walk tests it: one value for
    // LLVM to follow (testing both orders let it duplicate whole header walks).
    const l3proto = this.load(s.l3protoRaw);
    const ipv4 = f.newBlock('ipv4');
    const notIpv4 = f.newBlock('not_ipv4');
    const ipv6 = f.newBlock('ipv6');
    this.b.CreateCondBr(this.eq(l3proto, networkOrder16(ETH_P_IP)), ipv4, notIpv4);
    this.b.SetInsertPoint(notIpv4);
    this.b.CreateCondBr(this.eq(l3proto, networkOrder16(ETH_P_IPV6)), ipv6, this.done);

    this.b.SetInsertPoint(ipv4);
    this.ipv4();
    this.b.SetInsertPoint(ipv6);
    this.ipv6();
  }

  /**
   * The same rule for the transport header: it is there only when its first byte is in
   * the packet. A frame that ends with its IP header, or whose IHL points past its end,
   * has no tcp or udp, whatever the protocol number says. Checked on the IP paths only,
   * where the transport header is found: one more branch on every path of the prologue
   * made the verifier explore too many states for programs with many statements.
   */
  private transportStarts(l4off: LLVM.Value, name: string): void {
    this.fits(this.f.byteOffset(this.s.data, l4off), 1, this.done, name);
  }

  private truncatedNetworkHeader(): LLVM.BasicBlock {
    const block = this.f.newBlock('l3_truncated');
    const saved = this.b.GetInsertBlock()!;
    this.b.SetInsertPoint(block);
    this.store(this.s.l3proto, 0); // not one byte of it: `ip` is false
    this.b.CreateBr(this.done);
    this.b.SetInsertPoint(saved);
    return block;
  }

  private ipv4(): void {
    const { f, s } = this;
    const { m } = f;
    const l3off = this.load(s.l3off);
    const l3 = f.byteOffset(s.data, l3off);
    // One rule for every header: present from its first byte, each field when all its
    // bytes are there. Behind an IPv4 header cut short nothing more can be found.
    this.fits(l3, 1, this.truncatedNetworkHeader(), 'ip_started');
    this.fits(l3, HEADERS.ip.minSize, this.done, 'ip_ok');
    const versionIhl = this.b.CreateZExt(f.loadInt(l3, 0, 8), m.i64);
    const headerLength = this.b.CreateShl(this.b.CreateAnd(versionIhl, m.i64Const(0xf)), m.i64Const(2));
    const fragmentOffset = this.b.CreateAnd(loadBigEndian(f, l3, 6, 16), m.i64Const(0x1fff));
    const validIhl = this.b.CreateICmpUGE(headerLength, m.i64Const(HEADERS.ip.minSize));
    // Later fragments carry no transport header: they have ip but no tcp/udp.
    this.when(this.b.CreateAnd(validIhl, this.eq(fragmentOffset, 0)), this.done, 'first_fragment');
    const l4off = this.b.CreateAdd(l3off, headerLength);
    this.transportStarts(l4off, 'ip_l4_started');
    this.store(s.l4proto, this.b.CreateZExt(f.loadInt(l3, 9, 8), m.i64));
    this.store(s.l4off, l4off);
    this.b.CreateBr(this.done);
  }

  private ipv6(): void {
    const { f, s } = this;
    const { m } = f;
    const l3off = this.load(s.l3off);
    const l3 = f.byteOffset(s.data, l3off);
    this.fits(l3, 1, this.truncatedNetworkHeader(), 'ip6_started');
    this.fits(l3, HEADERS.ip6.minSize, this.done, 'ip6_ok');
    this.store(s.l4proto, this.b.CreateZExt(f.loadInt(l3, 6, 8), m.i64));
    this.store(s.l4off, this.b.CreateAdd(l3off, m.i64Const(HEADERS.ip6.minSize)));
    // Extension headers, unrolled: the verifier wants every loop bounded, and a fixed
    // number of copies is the simplest bound. Each copy skips one header. Leaving with
    // an extension header still in l4proto means "no transport header found".
    const found = f.newBlock('ip6_transport');
    for (let i = 0; i < IPV6_EXTENSION_LIMIT; i++) {
      const proto = this.load(s.l4proto);
      const isExtension = IPV6_EXTENSION_HEADERS.map((h) => this.eq(proto, h)).reduce((a, c) => this.b.CreateOr(a, c));
      this.when(isExtension, found, `ip6_ext${i}`);
      const offset = this.load(s.l4off);
      const header = f.byteOffset(s.data, offset);
      this.fits(header, 8, this.done, `ip6_ext${i}_ok`);
      const next = this.b.CreateZExt(f.loadInt(header, 0, 8), m.i64);
      const lengthField = this.b.CreateZExt(f.loadInt(header, 1, 8), m.i64);
      // Lengths: fragment 8 bytes; AH (len + 2) * 4; the others (len + 1) * 8.
      const ahLength = this.b.CreateShl(this.b.CreateAdd(lengthField, m.i64Const(2)), m.i64Const(2));
      const optionLength = this.b.CreateShl(this.b.CreateAdd(lengthField, m.i64Const(1)), m.i64Const(3));
      const isFragment = this.eq(proto, IPPROTO_FRAGMENT);
      const length = this.b.CreateSelect(isFragment, m.i64Const(8), this.b.CreateSelect(this.eq(proto, IPPROTO_AH), ahLength, optionLength));
      // A fragment other than the first has no transport header: stop with l4proto 44.
      const fragmentOffset = this.b.CreateLShr(loadBigEndian(f, header, 2, 16), m.i64Const(3));
      this.when(this.b.CreateNot(this.b.CreateAnd(isFragment, this.b.CreateICmpNE(fragmentOffset, m.i64Const(0)))), this.done, `ip6_ext${i}_skip`);
      this.store(s.l4proto, next);
      this.store(s.l4off, this.b.CreateAdd(offset, length));
    }
    this.b.CreateBr(found);
    // Whatever the walk stopped at: a transport header only when its first byte is there.
    this.b.SetInsertPoint(found);
    const missing = f.newBlock('ip6_l4_missing');
    const ok = f.newBlock('ip6_l4_started');
    this.b.CreateCondBr(this.b.CreateICmpUGT(f.byteOffset(f.byteOffset(s.data, this.load(s.l4off)), 1), s.dataEnd), missing, ok);
    this.b.SetInsertPoint(missing);
    this.store(s.l4proto, 0);
    this.b.CreateBr(this.done);
    this.b.SetInsertPoint(ok);
    this.b.CreateBr(this.done);
  }
}

/**
 * i1: the packet has this header (`tcp` alone in the language). `l3` is the slot the
 * network header's EtherType is taken from: l3proto, or for a field read l3protoSeen
 * (see fieldHeaderPresent).
 */
export function headerPresent(f: FunctionContext, header: HeaderName, l3: 'l3proto' | 'l3protoSeen' = 'l3proto'): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const p = f.packet!;
  const want = HEADER_PRESENCE[header];
  const load = (s: LLVM.AllocaInst) => b.CreateLoad(m.i64, s);
  // l3protoSeen holds the EtherType in network order (PacketState): compare with swapped constants.
  const l3is = (proto: number) => b.CreateICmpEQ(load(p[l3]), m.i64Const(l3 === 'l3protoSeen' ? networkOrder16(proto) : proto));
  if (want.vlan) return b.CreateICmpNE(load(p.hasVlan), m.i64Const(0));
  if (want.l3 !== undefined) return l3is(want.l3);
  if (want.l4 !== undefined) {
    const l4 = b.CreateICmpEQ(load(p.l4proto), m.i64Const(want.l4));
    // A transport header only counts behind the network header it belongs to: ICMP is
    // ICMPv4 (IPv6's is 58, icmp6), tcp and udp sit behind either IP version.
    const network = want.l3of === undefined ? b.CreateOr(l3is(ETH_P_IP), l3is(ETH_P_IPV6)) : l3is(want.l3of);
    return b.CreateAnd(l4, network);
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
  guard(f, spec.parsed ? headerPresent(f, header) : fieldHeaderPresent(f, header), missing, `${header}_present`);
  if (spec.parsed) {
    // Found by the prologue (eth.proto after the VLAN tags, the VLAN tag wherever it was),
    // and missing when the prologue could not read it whole.
    // (The TPID is known as soon as the tag is: it is the field before it.)
    const ok = spec.parsed === 'ethProto' ? p.ethProtoOk : spec.parsed === 'vlanTci' ? p.vlanTciOk : undefined;
    if (ok) guard(f, b.CreateICmpNE(b.CreateLoad(m.i64, ok), m.i64Const(0)), missing, `${header}_${fieldName}_read`);
    const slot = spec.parsed === 'ethProto' ? p.ethProto : spec.parsed === 'vlanTci' ? p.vlanTci : p.vlanTpid;
    let value: LLVM.Value = b.CreateLoad(m.i64, slot);
    if (spec.shift !== undefined) value = b.CreateLShr(value, m.i64Const(spec.shift));
    return spec.mask === undefined ? value : b.CreateAnd(value, m.i64Const(spec.mask));
  }
  const start = headerStart(f, header);
  const fieldPtr = f.byteOffset(start, spec.offset);
  guard(f, b.CreateICmpULE(f.byteOffset(fieldPtr, spec.size), p.dataEnd), missing, `${header}_${fieldName}_in_bounds`);
  return loadField(f, fieldPtr, spec);
}

/** A 16-bit constant as a little-endian load of its network-order bytes sees it. */
function networkOrder16(v: number): number {
  return ((v & 0xff) << 8) | (v >> 8);
}

/**
 * i1: the header is there as far as reading one of its fields from the packet needs.
 * The field's own bounds check (readField) covers the header's first byte, so a network
 * header is recognised by the EtherType the walk arrived at (l3protoSeen), not by
 * l3proto, which also says that first byte is there: the answer is the same and the
 * prologue's first-byte check is left out of programs that only read fields. A transport
 * header is found only behind a network header whose first byte was there, so its check
 * may use l3protoSeen too.
 */
function fieldHeaderPresent(f: FunctionContext, header: HeaderName): LLVM.Value {
  const want = HEADER_PRESENCE[header];
  if (want.l3 === undefined && want.l4 === undefined) return headerPresent(f, header);
  return headerPresent(f, header, 'l3protoSeen');
}

/**
 * pkt.len: the packet's length on the wire as the hook sees it, from the Ethernet header
 * on. tc reads skb->len, which counts paged data too; XDP sees only its buffer.
 */
export function packetLength(f: FunctionContext, context: PacketContext): LLVM.Value {
  const { m } = f;
  const p = f.packet!;
  const length = CONTEXT_LAYOUT[context].length;
  if (length !== undefined) return m.b.CreateZExt(f.loadInt(f.ctxArg, length, 32), m.i64);
  return m.b.CreateSub(m.b.CreatePtrToInt(p.dataEnd, m.i64), m.b.CreatePtrToInt(p.data, m.i64));
}

function headerStart(f: FunctionContext, header: HeaderName): LLVM.Value {
  const { m } = f;
  const p = f.packet!;
  switch (HEADERS[header].base) {
    case 'l2':
      return p.data;
    case 'l3':
      if (p.l3ptr) return m.b.CreateIntToPtr(m.b.CreateLoad(m.i64, p.l3ptr), m.i8p);
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
  if (spec.shift !== undefined) v = m.b.CreateLShr(v, m.i64Const(spec.shift));
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

/** data and data_end loaded from the context again (packet-state-barrier.ts). */
export function reloadPacketPointers(f: FunctionContext, context: PacketContext): { data: LLVM.Value; dataEnd: LLVM.Value } {
  const layout = CONTEXT_LAYOUT[context];
  return { data: loadContextPointer(f, layout.data), dataEnd: loadContextPointer(f, layout.dataEnd) };
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
