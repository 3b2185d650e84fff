// Internal per-CPU arrays (the event status words, the full-map counters) are read and
// written the same way: look up slot `index`, and run the body only when the lookup
// succeeds (it always does for an index below max_entries; the check is for the verifier).
import { BPF_FUNC } from '../model/uapi.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { scratchBuffer } from './scratch.js';

/** Runs `body` with a pointer to slot `index` of the array map number `mapIndex`. */
export function withArraySlot(f: FunctionContext, mapIndex: number, index: number, name: string, body: (slot: LLVM.Value) => void): void {
  const { m } = f;
  const { b } = m;
  const key = scratchBuffer(f, 4, `${name}_key`);
  f.storeInt(key.ptr, 0, 32, m.i64Const(index));
  const slot = m.callHelper(BPF_FUNC.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(mapIndex), key.ptr]);
  key.end();
  const found = f.newBlock(`${name}_found`);
  const done = f.newBlock(`${name}_done`);
  b.CreateCondBr(b.CreateIsNull(slot), done, found);
  b.SetInsertPoint(found);
  body(slot);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

/** Adds `delta` to the u64 at `ptr`. Per-CPU slots need no atomics. */
export function addToCounter(f: FunctionContext, ptr: LLVM.Value, delta: LLVM.Value): void {
  const { b } = f.m;
  const counter = b.CreateBitCast(ptr, f.m.ptrTo(f.m.i64));
  b.CreateStore(b.CreateAdd(b.CreateLoad(f.m.i64, counter), delta), counter);
}

/** The u64 in slot 0 of the array map number `mapIndex` (a word the runtime wrote before the run); 0 if the lookup fails, which it never does. */
export function loadArrayWord(f: FunctionContext, mapIndex: number, name: string): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const key = f.zeroedBuffer(4, `${name}_key`);
  const slot = m.callHelper(BPF_FUNC.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(mapIndex), key]);
  const before = b.GetInsertBlock()!;
  const found = f.newBlock(`${name}_found`);
  const done = f.newBlock(`${name}_done`);
  b.CreateCondBr(b.CreateIsNull(slot), done, found);
  b.SetInsertPoint(found);
  const word = b.CreateLoad(m.i64, b.CreateBitCast(slot, m.ptrTo(m.i64)));
  b.CreateBr(done);
  b.SetInsertPoint(done);
  const phi = b.CreatePHI(m.i64, 2);
  phi.addIncoming(m.i64Const(0), before);
  phi.addIncoming(word, found);
  return phi;
}
