// Map updates: building keys and applying aggregations. Aggregation maps are per-CPU,
// so a program updates its own CPU's slot without atomics; user space merges the slots.
import type { MapRef } from '../ast.js';
import type { FunctionContext } from './function-context.js';
import type { ExprEmitter } from './expr.js';
import type { MapDescription } from './described.js';
import type { LLVM } from './llvm.js';
import { Helper } from './bpf-module.js';

const BPF_NOEXIST = 1;

/** Writes the key of `@m[k1, k2]` into a zeroed stack buffer laid out as the map describes. */
export function emitKey(f: FunctionContext, exprs: ExprEmitter, ref: MapRef, map: MapDescription, missing: LLVM.BasicBlock): LLVM.Value {
  // Evaluate the key expressions first: a missing header must leave before any store.
  const values = ref.keys.map((k) => exprs.emit(k, missing));
  const key = f.zeroedBuffer(map.key.size, 'key');
  map.key.fields.forEach((field, i) => {
    const t = field.type;
    if (t.kind === 'int') f.storeInt(key, field.offset, t.bits, values[i]);
    else if (t.kind === 'bool') f.storeInt(key, field.offset, 8, values[i]);
    else if (t.kind === 'bytes' || t.kind === 'str') f.copyBytes(key, field.offset, values[i], t.size);
  });
  return key;
}

export function lookup(f: FunctionContext, map: MapDescription, key: LLVM.Value): LLVM.Value {
  const { m } = f;
  return m.callHelper(Helper.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(map.index), key]);
}

export function update(f: FunctionContext, map: MapDescription, key: LLVM.Value, value: LLVM.Value, flags: number): void {
  const { m } = f;
  m.callHelper(Helper.map_update_elem, m.i64, [m.i8p, m.i8p, m.i8p, m.i64], [m.mapRef(map.index), key, value, m.i64Const(flags)]);
}

/**
 * Adds `delta` to the u64 at the start of the key's value, creating the entry when it
 * is absent. Used by count() (delta 1) and sum().
 */
export function emitAdd(f: FunctionContext, map: MapDescription, key: LLVM.Value, delta: LLVM.Value): void {
  const { m } = f;
  const { b } = m;
  const slot = lookup(f, map, key);
  const found = f.newBlock('agg_found');
  const absent = f.newBlock('agg_absent');
  const done = f.newBlock('agg_done');
  b.CreateCondBr(b.CreateIsNull(slot), absent, found);

  b.SetInsertPoint(found);
  const counter = b.CreateBitCast(slot, m.ptrTo(m.i64));
  b.CreateStore(b.CreateAdd(b.CreateLoad(m.i64, counter), delta), counter);
  b.CreateBr(done);

  b.SetInsertPoint(absent);
  const initial = f.zeroedBuffer(map.valueSize, 'initial');
  f.storeInt(initial, 0, 64, delta);
  // BPF_NOEXIST: if another CPU's... (per-CPU maps have no such race, but an interrupt on
  // this CPU may have created the entry since the lookup; losing one increment then is
  // the price of not retrying, as in bpftrace).
  update(f, map, key, initial, BPF_NOEXIST);
  b.CreateBr(done);

  b.SetInsertPoint(done);
}
