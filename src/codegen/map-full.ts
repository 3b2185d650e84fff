// A full map is never silent: an update the kernel refuses because the map holds
// max_entries keys already is counted, per map, in the `full` internal map (a per-CPU
// array indexed by the map's index, so no atomics), and the runtime reports the count.
import type { MapDescription } from './described.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { Helper } from './bpf-module.js';
import { scratchBuffer } from './scratch.js';

/** Adds one to the count of refused updates of `map`, at the current insertion point. */
export function countRefusedUpdate(f: FunctionContext, map: MapDescription): void {
  const { m } = f;
  const { b } = m;
  const key = scratchBuffer(f, 4, 'full_key');
  f.storeInt(key.ptr, 0, 32, m.i64Const(map.index));
  const counter = m.callHelper(Helper.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(f.outputs.map('full').index), key.ptr]);
  key.end();
  const found = f.newBlock('full_count');
  const done = f.newBlock('full_counted');
  b.CreateCondBr(b.CreateIsNull(counter), done, found);
  b.SetInsertPoint(found);
  const slot = b.CreateBitCast(counter, m.ptrTo(m.i64));
  b.CreateStore(b.CreateAdd(b.CreateLoad(m.i64, slot), m.i64Const(1)), slot);
  b.CreateBr(done);
  b.SetInsertPoint(done);
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
