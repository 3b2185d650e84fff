// Maps that hold plain values: `@x = v`, `@x[k] += v`, `@x++`, and reading `@x[k]`.
// These are ordinary (shared) hash maps, so `@x++` from two CPUs at once can lose an
// increment, as in bpftrace; count() and sum() are the exact, per-CPU way to count.
import type { MapAssign, MapRef } from '../model/ast.js';
import type { Type } from '../model/types.js';
import { BPF_UPDATE } from '../model/uapi.js';
import { emitKey, lookup, update } from './aggregate.js';
import type { MapDescription } from '../model/compiled-program.js';
import type { ExprEmitter } from './expr.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { scratchBuffer } from './scratch.js';
import { loadValue, storeValue, zeroValue } from './typed-values.js';
import { countIfRefused } from './map-full.js';

export function emitScalarAssign(f: FunctionContext, exprs: ExprEmitter, s: MapAssign, map: MapDescription, next: LLVM.BasicBlock): void {
  const { m } = f;
  const { b } = m;
  const field = map.valueLayout!.fields[0];
  const value = exprs.emit(s.value, next);
  const valueType = exprs.typeOf(s.value);
  const key = emitKey(f, exprs, s.target, map, next);
  if (s.op === '=') {
    const buffer = scratchBuffer(f, map.valueSize, 'value');
    storeValue(f, buffer.ptr, field.offset, field.type, value, valueType);
    countIfRefused(f, map, update(f, map.index, key.ptr, buffer.ptr, BPF_UPDATE.ANY));
    buffer.end();
    key.end();
    return;
  }
  // Compound assignment: update in place when the key exists, else store `0 OP value`.
  const signed = field.type.kind === 'int' && field.type.signed;
  const current = lookup(f, map.index, key.ptr);
  const inPlace = f.newBlock('map_update_in_place');
  const insert = f.newBlock('map_insert');
  const done = f.newBlock('map_assigned');
  b.CreateCondBr(b.CreateIsNull(current), insert, inPlace);

  b.SetInsertPoint(inPlace);
  const old = loadValue(f, current, field.offset, field.type, undefined);
  storeValue(f, current, field.offset, field.type, exprs.arithmetic(s.op, old, value, signed), field.type);
  b.CreateBr(done);

  b.SetInsertPoint(insert);
  const buffer = scratchBuffer(f, map.valueSize, 'value');
  storeValue(f, buffer.ptr, field.offset, field.type, exprs.arithmetic(s.op, m.i64Const(0), value, signed), field.type);
  countIfRefused(f, map, update(f, map.index, key.ptr, buffer.ptr, BPF_UPDATE.ANY));
  buffer.end();
  b.CreateBr(done);

  b.SetInsertPoint(done);
  key.end();
}

/** The value of `@m[k]`, or the type's zero when the key is absent (as in bpftrace). */
export function emitMapRead(f: FunctionContext, exprs: ExprEmitter, ref: MapRef, map: MapDescription, missing: LLVM.BasicBlock): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const field = map.valueLayout!.fields[0];
  const t: Type = field.type;
  // Strings and addresses are copied out: the map entry may change while we use them.
  const copy = t.kind === 'str' || t.kind === 'bytes' ? f.zeroedBuffer(t.size, 'map_value') : undefined;
  const key = emitKey(f, exprs, ref, map, missing);
  const ptr = lookup(f, map.index, key.ptr);
  key.end();
  const found = f.newBlock('map_read_found');
  const absent = f.newBlock('map_read_absent');
  const done = f.newBlock('map_read_done');
  b.CreateCondBr(b.CreateIsNull(ptr), absent, found);
  b.SetInsertPoint(found);
  const value = loadValue(f, ptr, field.offset, t, copy);
  const foundEnd = b.GetInsertBlock()!;
  b.CreateBr(done);
  b.SetInsertPoint(absent);
  const zero = zeroValue(f, t, copy);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  const phi = b.CreatePHI(value.getType(), 2);
  phi.addIncoming(value, foundEnd);
  phi.addIncoming(zero, absent);
  return phi;
}
