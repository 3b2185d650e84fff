// Map updates: building keys, creating entries, applying aggregations. Aggregation maps
// are per-CPU, so a program updates its own CPU's slot without atomics; user space
// merges the slots (src/aggregations/).
import type { MapRef } from '../model/ast.js';
import { aggregation } from '../aggregations/registry.js';
import type { Type } from '../model/types.js';
import { BPF_FUNC, BPF_UPDATE } from '../model/uapi.js';
import type { MapDescription } from '../model/compiled-program.js';
import type { ExprEmitter } from './expr.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { countRefusedUpdate } from './map-full.js';
import { scratchBuffer, type Scratch } from './scratch.js';
import { storeValue } from './typed-values.js';

/**
 * Writes the key of `@m[k1, k2]` into a zeroed stack buffer laid out as the map
 * describes (padding included: the kernel compares keys byte for byte). Call `end()`
 * on the result after the last map call that uses it.
 */
export function emitKey(f: FunctionContext, exprs: ExprEmitter, ref: MapRef, map: MapDescription, missing: LLVM.BasicBlock): Scratch {
  // Evaluate the key expressions first: a missing header must leave before any store.
  const values = ref.keys.map((k) => exprs.emit(k, missing));
  const types: Type[] = ref.keys.map((k) => exprs.typeOf(k));
  const key = scratchBuffer(f, map.key.size, 'key');
  map.key.fields.forEach((field, i) => storeValue(f, key.ptr, field.offset, field.type, values[i], types[i]));
  return key;
}

export function lookup(f: FunctionContext, mapIndex: number, key: LLVM.Value): LLVM.Value {
  const { m } = f;
  return m.callHelper(BPF_FUNC.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(mapIndex), key]);
}

export function update(f: FunctionContext, mapIndex: number, key: LLVM.Value, value: LLVM.Value, flags: number): LLVM.Value {
  const { m } = f;
  return m.callHelper(BPF_FUNC.map_update_elem, m.i64, [m.i8p, m.i8p, m.i8p, m.i64], [m.mapRef(mapIndex), key, value, m.i64Const(flags)]);
}

export function remove(f: FunctionContext, mapIndex: number, key: LLVM.Value): void {
  const { m } = f;
  m.callHelper(BPF_FUNC.map_delete_elem, m.i64, [m.i8p, m.i8p], [m.mapRef(mapIndex), key]);
}

/**
 * This CPU's slot of the key's value, creating the entry (zeroed) when it is absent.
 * Branches to `skip` when even that fails (the map is full).
 */
function slotFor(f: FunctionContext, map: MapDescription, key: LLVM.Value, skip: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const existing = lookup(f, map.index, key);
  const before = b.GetInsertBlock()!;
  const create = f.newBlock('agg_create');
  const ready = f.newBlock('agg_ready');
  b.CreateCondBr(b.CreateIsNull(existing), create, ready);

  // The zero map's only value is all zeroes and as big as the largest slot: a new entry
  // copies it. BPF_NOEXIST keeps an entry an interrupt created since the lookup.
  b.SetInsertPoint(create);
  const zeroKey = scratchBuffer(f, 4, 'zero_key');
  const zeroes = lookup(f, f.outputs.map('zero').index, zeroKey.ptr);
  zeroKey.end();
  const haveZeroes = f.newBlock('agg_zeroes');
  b.CreateCondBr(b.CreateIsNull(zeroes), skip, haveZeroes);
  b.SetInsertPoint(haveZeroes);
  update(f, map.index, key, zeroes, BPF_UPDATE.NOEXIST);
  const created = lookup(f, map.index, key);
  const createdEnd = b.GetInsertBlock()!;
  const full = f.newBlock('agg_map_full');
  b.CreateCondBr(b.CreateIsNull(created), full, ready);

  // Neither found nor created: the map holds max_entries keys. Counted, never silent.
  b.SetInsertPoint(full);
  countRefusedUpdate(f, map);
  b.CreateBr(skip);

  b.SetInsertPoint(ready);
  const slot = b.CreatePHI(m.i8p, 2);
  slot.addIncoming(existing, before);
  slot.addIncoming(created, createdEnd);
  return slot;
}

/** `@m[k] = agg(args)`: the aggregation updates this CPU's slot. */
export function emitAggregate(f: FunctionContext, map: MapDescription, key: Scratch, arg: LLVM.Value | undefined, skip: LLVM.BasicBlock): void {
  if (map.value.kind !== 'agg') throw new Error(`internal: ${map.displayName} is not an aggregation`);
  const slot = slotFor(f, map, key.ptr, skip);
  key.end();
  aggregation(map.value.agg).emitUpdate(f, slot, arg, map.value);
}
