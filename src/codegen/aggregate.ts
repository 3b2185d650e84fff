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
import { isKeylessArray } from '../model/keyless-array.js';
import { emitKeylessAggregate } from './keyless-aggregate.js';

/**
 * Writes the key of `@m[k1, k2]` into a zeroed stack buffer laid out as the map
 * describes (padding included: the kernel compares keys byte for byte). Call `end()`
 * on the result after the last map call that uses it.
 * Only the key's own bytes are zeroed, so LLVM drops the zeroing wherever the fields
 * cover it: an `ip.src` key is one 4-byte store.
 */
export function emitKey(f: FunctionContext, exprs: ExprEmitter, ref: MapRef, map: MapDescription, missing: LLVM.BasicBlock): Scratch {
  // Evaluate the key expressions first: a missing header must leave before any store.
  const values = ref.keys.map((k) => exprs.emit(k, missing));
  const types: Type[] = ref.keys.map((k) => exprs.typeOf(k));
  const key = keyBuffer(f, map.key.size);
  if (!storeIntegerKey(f, key.ptr, map.key, values)) {
    map.key.fields.forEach((field, i) => storeValue(f, key.ptr, field.offset, field.type, values[i], types[i]));
  }
  return key;
}

/**
 * A key of integers (and booleans) is written a whole 8-byte word at a time, padding
 * included, each word put together in registers: one store per word, and the zeroing
 * before it is dropped by LLVM as overwritten. Returns false for keys with strings or
 * addresses, which are stored field by field over the zeroed buffer.
 */
function storeIntegerKey(f: FunctionContext, ptr: LLVM.Value, layout: MapDescription['key'], values: LLVM.Value[]): boolean {
  if (!layout.fields.every((field) => field.type.kind === 'int' || field.type.kind === 'bool')) return false;
  const { m } = f;
  const { b } = m;
  for (let word = 0; word < layout.size / 8; word++) {
    let bits: LLVM.Value = m.i64Const(0);
    layout.fields.forEach((field, i) => {
      if (Math.floor(field.offset / 8) !== word) return;
      const width = field.type.kind === 'int' ? field.type.bits : 8;
      const narrow = b.CreateZExtOrTrunc(values[i], m.intType(width));
      const shifted = b.CreateShl(b.CreateZExt(narrow, m.i64), m.i64Const((field.offset % 8) * 8));
      bits = b.CreateOr(bits, shifted);
    });
    f.storeInt(ptr, word * 8, 64, bits);
  }
  return true;
}

/**
 * Inside a statement the key lives until the statement ends (its lifetime ends in the
 * statement's `next` block, which every path of the statement reaches, the ones that
 * leave early on a full map or a missing header included): a lifetime that ends on some
 * paths only stays open after the statement for LLVM's stack colouring, and then no
 * later statement can share its bytes. Elsewhere (a predicate) it ends at `end()`.
 */
function keyBuffer(f: FunctionContext, size: number): Scratch {
  if (f.scratchScope) return { ptr: f.zeroedBuffer(size, 'key'), end: () => {} };
  return scratchBuffer(f, size, 'key');
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

/**
 * Aggregations whose update writes words at fixed offsets of a small slot: a new key's
 * first value is made on the stack (a variable offset, as hist's bucket index, into the
 * stack is refused by older verifiers), and the rest copy the zero map.
 */
const FIRST_VALUE_ON_STACK = new Set(['count', 'sum', 'avg', 'min', 'max', 'stats']);
const FIRST_VALUE_STACK_LIMIT = 64;

/** `@m[k] = agg(args)`: the aggregation updates this CPU's slot. */
export function emitAggregate(f: FunctionContext, map: MapDescription, key: Scratch, arg: LLVM.Value | undefined, skip: LLVM.BasicBlock): void {
  if (map.value.kind !== 'agg') throw new Error(`internal: ${map.displayName} is not an aggregation`);
  if (isKeylessArray(map)) return emitKeylessAggregate(f, map, key, arg, skip);
  const agg = aggregation(map.value.agg);
  if (FIRST_VALUE_ON_STACK.has(agg.name) && map.valueSize <= FIRST_VALUE_STACK_LIMIT) return emitAggregateFirstOnStack(f, map, key, arg, skip);
  const slot = slotFor(f, map, key.ptr, skip);
  key.end();
  agg.emitUpdate(f, slot, arg, map.value);
}

/**
 * As hand-written C does it: look the key up and update this CPU's slot in place; for a
 * new key, apply the update to a zeroed slot on the stack and insert that, with no zero
 * map and no second lookup, with BPF_ANY.
 *
 * Why BPF_ANY is exact when another CPU creates the key between our lookup and our
 * insert (kernel/bpf/hashtab.c): a program's update of a per-CPU hash runs with
 * onallcpus=false. When the key exists by then, the update copies our value into this
 * CPU's slot only (pcpu_copy_value: this_cpu_ptr), and the element another CPU created
 * holds zeroes in every slot but its creator's: pcpu_init_value zero-fills the others.
 * nettrace's maps are preallocated, for which that holds since d3bec0138bfb ("bpf:
 * Zero-fill re-used per-cpu map element", v5.10, also in the older stable kernels); since
 * per-CPU hashes moved to bpf_mem_alloc (6.1) it holds for every one. So our slot was
 * zero, and "the update applied to zero" is what an in-place update would have written:
 * nothing is lost. (BPF_NOEXIST and a second lookup after -EEXIST, as before, cost 10
 * more xlated instructions for the same answer; C's BPF_NOEXIST without the second
 * lookup loses the count, which test/kernel/packet/nxq-count-exact.test.ts shows by
 * having two CPUs create the same keys at once.) What can still fail is a new key: the
 * map full (-E2BIG), no memory, or the bucket lock busy (-EBUSY, a program interrupting
 * another's update of this map on the same CPU); each is counted as a refused update.
 * The one interleaving this does not cover, a second run on the same CPU creating the
 * key between our lookup and our update (an interrupt, or a preempted fentry program),
 * already loses counts in the in-place `*slot += 1` of any per-CPU aggregation.
 */
function emitAggregateFirstOnStack(f: FunctionContext, map: MapDescription, key: Scratch, arg: LLVM.Value | undefined, skip: LLVM.BasicBlock): void {
  const { m } = f;
  const { b } = m;
  const value = map.value as Extract<MapDescription['value'], { kind: 'agg' }>;
  const agg = aggregation(value.agg);
  const existing = lookup(f, map.index, key.ptr);
  const create = f.newBlock('agg_create');
  const inPlace = f.newBlock('agg_in_place');
  const full = f.newBlock('agg_map_full');
  const done = f.newBlock('agg_done');
  b.CreateCondBr(b.CreateIsNull(existing), create, inPlace);

  b.SetInsertPoint(inPlace);
  agg.emitUpdate(f, existing, arg, value);
  b.CreateBr(done);

  b.SetInsertPoint(create);
  const first = scratchBuffer(f, map.valueSize, 'first_value');
  agg.emitUpdate(f, first.ptr, arg, value);
  const result = update(f, map.index, key.ptr, first.ptr, BPF_UPDATE.ANY);
  first.end();
  b.CreateCondBr(b.CreateICmpEQ(result, m.i64Const(0)), done, full);

  // Not created: the map holds max_entries keys. Counted, never silent.
  b.SetInsertPoint(full);
  countRefusedUpdate(f, map, result);
  b.CreateBr(skip);

  b.SetInsertPoint(done);
  key.end();
}
