// Many blocks on one packet probe (blocks on one `xdp:IF` share one program) must not
// multiply the verifier's work. The verifier follows each path through the parse
// prologue separately: no VLAN tag, one, two; IPv4 or IPv6 and each extension-header
// walk; each header cut short. Every path leaves different known values behind (the L3
// offset 14, 18 or 22, a protocol number, a pointer checked to 34 or 54 bytes), so every
// block after the prologue was verified once per prologue path: ~30 times, ~4,500
// instructions a block for `/udp.dport == N/ { @m[eth.src] = count() }`, and 200 such
// blocks came close to the 1M-instruction limit.
//
// The barrier makes those paths one: the prologue's results are written to a per-CPU
// scratch map and read back through a second lookup, which LLVM cannot forward and the
// verifier does not track (map memory holds unknown values), each bounded by a mask;
// data and data_end are read from the context again (a fresh pointer, nothing checked
// yet). After it, every path carries the same unknown values, the verifier's state
// pruning merges them, and each block is verified a few times only. It costs two array
// lookups and a few loads and stores per packet, so it is used only for probes with
// BARRIER_MIN_BLOCKS blocks or more; every field read re-checks its own bytes against
// data_end anyway (packet.ts), so nothing is lost by forgetting what the prologue
// checked.
import { BPF_FUNC } from '../model/uapi.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { reloadPacketPointers, type PacketContext, type PacketState } from './packet.js';
import { scratchBuffer } from './scratch.js';

export const BARRIER_MIN_BLOCKS = 8;

/**
 * The prologue's slots and the bits each may hold. Offsets are below 2^14 (an IPv6
 * extension walk ends by 8,262 bytes); the verifier needs them bounded to add them to a
 * packet pointer. A slot not listed here is left as it is (still correct, only not merged).
 */
const SLOT_MASKS: Partial<Record<keyof PacketState, number>> = {
  l2ok: 1, hasVlan: 1, ethProtoOk: 1, vlanTciOk: 1, vlanInMetadata: 1, innerVlan: 1, innerVlanTciOk: 1,
  vlanTci: 0xffff, ethProto: 0xffff, vlanTpid: 0xffff, innerVlanTci: 0xffff, innerVlanTpid: 0xffff, l3proto: 0xffff, l3protoSeen: 0xffff,
  l4proto: 0xff,
  l3off: 0x3fff, l4off: 0x3fff,
};

const SLOTS = Object.keys(SLOT_MASKS) as (keyof PacketState)[];

/** The scratch map's value: one word per listed slot. */
export const PARSED_STATE_BYTES = SLOTS.length * 8;

/** Emits the barrier at the insert point; returns the packet state the blocks use after it. */
export function emitPacketStateBarrier(f: FunctionContext, state: PacketState, context: PacketContext): PacketState {
  const { m } = f;
  const slots = SLOTS.filter((name) => state[name] !== undefined);
  const written = parsedWords(f);
  slots.forEach((name, i) => f.storeInt(written, i * 8, 64, m.b.CreateLoad(m.i64, state[name] as LLVM.AllocaInst)));
  const read = parsedWords(f);
  slots.forEach((name, i) => {
    const value = m.b.CreateAnd(f.loadInt(read, i * 8, 64), m.i64Const(SLOT_MASKS[name]!));
    m.b.CreateStore(value, state[name] as LLVM.AllocaInst);
  });
  // l3ptr points into the packet as the prologue saw it: reads after the barrier start
  // from the reloaded data pointer and l3off instead (packet.ts, headerStart).
  return { ...state, ...reloadPacketPointers(f, context), l3ptr: undefined };
}

/** Slot 0 of the per-CPU scratch map; a failed lookup (never, for index 0) ends the program. */
function parsedWords(f: FunctionContext): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const key = scratchBuffer(f, 4, 'parsed_key');
  const words = m.callHelper(BPF_FUNC.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(f.outputs.map('parsed').index), key.ptr]);
  key.end();
  const found = f.newBlock('parsed_state');
  b.CreateCondBr(b.CreateIsNull(words), f.exit, found);
  b.SetInsertPoint(found);
  return words;
}
