// A full map is never silent: an update the kernel refuses because the map holds
// max_entries keys already is counted, per map, in the `full` internal map (a per-CPU
// array indexed by the map's index, so no atomics), and the runtime reports the count.
// With -k each refusal is also sent as a record at once (helper-errors.ts).
import type { MapDescription } from '../model/compiled-program.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { addToCounter, withArraySlot } from './array-slot.js';
import { reportHelperError } from './helper-errors.js';

/** What bpf_map_update_elem returns for a new key when the map is full: -E2BIG. */
const MAP_FULL = -7;

/**
 * Adds one to the count of refused updates of `map`, at the current insertion point;
 * `result` is the update's return value where the caller has it (else the map was full).
 */
export function countRefusedUpdate(f: FunctionContext, map: MapDescription, result?: LLVM.Value): void {
  withArraySlot(f, f.outputs.map('full').index, map.index, 'full', (slot) => addToCounter(f, slot, f.m.i64Const(1)));
  reportHelperError(f, 'map_update_elem', result ?? f.m.i64Const(MAP_FULL), f.statementAt, map.index);
}

/** Counts the update when `result` (bpf_map_update_elem's return value) says it failed. */
export function countIfRefused(f: FunctionContext, map: MapDescription, result: LLVM.Value): void {
  const { m } = f;
  const { b } = m;
  const refused = f.newBlock('update_refused');
  const done = f.newBlock('update_done');
  b.CreateCondBr(b.CreateICmpNE(result, m.i64Const(0)), refused, done);
  b.SetInsertPoint(refused);
  countRefusedUpdate(f, map, result);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}
