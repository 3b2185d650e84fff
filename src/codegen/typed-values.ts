// Typed values in and out of memory (map keys and values, records, variables). In
// registers integers are i64, booleans i1, and strings and addresses an i8* to their
// bytes; in memory each type has its own width (src/model/types.ts sizeOf).
import type { Type } from '../model/types.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { copyMemory } from './scratch.js';

/**
 * Stores `value` (of type `from`) as a `to` at `ptr + offset`. Integers truncate to the
 * field's width; a shorter string fills the front of a longer field (the rest stays as
 * zeroed by the caller), a longer one is cut to the field, which keeps its last byte NUL.
 */
export function storeValue(f: FunctionContext, ptr: LLVM.Value, offset: number, to: Type, value: LLVM.Value, from: Type): void {
  switch (to.kind) {
    case 'int':
      return f.storeInt(ptr, offset, to.bits, value);
    case 'bool':
      return f.storeInt(ptr, offset, 8, value.getType().isIntegerTy(1) ? f.m.b.CreateZExt(value, f.m.i8) : value);
    case 'str':
      return copyMemory(f, f.byteOffset(ptr, offset), value, Math.min(to.size - 1, sizeOfBytes(from, to.size)));
    case 'bytes':
      return copyMemory(f, f.byteOffset(ptr, offset), value, Math.min(to.size, sizeOfBytes(from, to.size)));
  }
}

function sizeOfBytes(t: Type, fallback: number): number {
  return t.kind === 'str' || t.kind === 'bytes' ? t.size : fallback;
}

/** Reads a `t` at `ptr + offset` into a register value (a stack copy for bytes). */
export function loadValue(f: FunctionContext, ptr: LLVM.Value, offset: number, t: Type, copy: LLVM.Value | undefined): LLVM.Value {
  const { m } = f;
  const { b } = m;
  switch (t.kind) {
    case 'int': {
      const raw = f.loadInt(ptr, offset, t.bits);
      return t.bits === 64 ? raw : t.signed ? b.CreateSExt(raw, m.i64) : b.CreateZExt(raw, m.i64);
    }
    case 'bool':
      return b.CreateICmpNE(f.loadInt(ptr, offset, 8), m.intConst(m.i8, 0));
    case 'str':
    case 'bytes':
      copyMemory(f, copy!, f.byteOffset(ptr, offset), t.size);
      return copy!;
  }
}

/** The zero of a type, for reads of absent map keys. */
export function zeroValue(f: FunctionContext, t: Type, buffer: LLVM.Value | undefined): LLVM.Value {
  const { m } = f;
  if (t.kind === 'bool') return m.b.getFalse();
  if (t.kind === 'str' || t.kind === 'bytes') return buffer!;
  return m.i64Const(0);
}
