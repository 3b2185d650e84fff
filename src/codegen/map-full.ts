// A full map is never silent: an update the kernel refuses because the map holds
// max_entries keys already is counted, per map, in the `full` internal map (a per-CPU
// array indexed by the map's index, so no atomics), and the runtime reports the count.
import type { MapDescription } from '../model/compiled-program.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { addToCounter, withArraySlot } from './array-slot.js';

/** Adds one to the count of refused updates of `map`, at the current insertion point. */
export function countRefusedUpdate(f: FunctionContext, map: MapDescription): void {
  withArraySlot(f, f.outputs.map('full').index, map.index, 'full', (slot) => addToCounter(f, slot, f.m.i64Const(1)));
}

/** Counts the update when `result` (bpf_map_update_elem's return value) says it failed. */
export function countIfRefused(f: FunctionContext, map: MapDescription, result: LLVM.Value): void {
  const { m } = f;
  const { b } = m;
  const refused = f.newBlock('update_refused');
  const done = f.newBlock('update_done');
  b.CreateCondBr(b.CreateICmpNE(result, m.i64Const(0)), refused, done);
  b.SetInsertPoint(refused);
  countRefusedUpdate(f, map);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}
