// `@x = agg(...)` with no keys: the map is a one-entry per-CPU array (model/keyless-array.ts),
// so the update is what C writes: look up index 0 (the verifier inlines it: no helper
// call), update this CPU's slot in place and set its "written" word. The entry always
// exists, so there is no create path and the map can never be full.
import { aggregation } from '../aggregations/registry.js';
import type { MapDescription } from '../model/compiled-program.js';
import { writtenWordOffset } from '../model/keyless-array.js';
import { BPF_FUNC } from '../model/uapi.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import type { Scratch } from './scratch.js';

export function emitKeylessAggregate(f: FunctionContext, map: MapDescription, key: Scratch, arg: LLVM.Value | undefined, skip: LLVM.BasicBlock): void {
  const { m } = f;
  const { b } = m;
  const value = map.value as Extract<MapDescription['value'], { kind: 'agg' }>;
  const slot = m.callHelper(BPF_FUNC.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(map.index), key.ptr]);
  key.end();
  // Never null for index 0 of a one-entry array, but the verifier wants the test.
  const found = f.newBlock('keyless_found');
  b.CreateCondBr(b.CreateIsNull(slot), skip, found);
  b.SetInsertPoint(found);
  aggregation(value.agg).emitUpdate(f, slot, arg, value);
  f.storeInt(slot, writtenWordOffset(map), 64, m.i64Const(1));
}
