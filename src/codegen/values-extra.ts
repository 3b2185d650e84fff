// Expression values that are not packet fields: string literals, casts, and string
// equality.
import type { Type } from '../model/types.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { copyMemory } from './scratch.js';

/** A string literal: its bytes and a NUL in a zeroed stack buffer. */
export function emitString(f: FunctionContext, text: string): LLVM.Value {
  const bytes = Buffer.from(text, 'utf8');
  const buffer = f.zeroedBuffer(bytes.length + 1, 'string');
  // Eight bytes at a time where possible: a long literal stays a few instructions.
  for (let i = 0; i < bytes.length; ) {
    const width = bytes.length - i >= 8 ? 8 : bytes.length - i >= 4 ? 4 : bytes.length - i >= 2 ? 2 : 1;
    const chunk = width === 8 ? bytes.readBigUInt64LE(i) : BigInt(bytes.readUIntLE(i, width));
    f.storeInt(buffer, i, width * 8, f.m.i64Const(chunk));
    i += width;
  }
  return buffer;
}

/** `(u8)x`: truncate to the target width, then widen back by the target's signedness. */
export function emitCast(f: FunctionContext, to: Type, from: Type, value: LLVM.Value): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const asI64 = value.getType().isIntegerTy(1) ? b.CreateZExt(value, m.i64) : value;
  if (to.kind === 'bool') return from.kind === 'bool' ? value : b.CreateICmpNE(asI64, m.i64Const(0));
  if (to.kind !== 'int' || to.bits === 64) return asI64;
  const narrow = b.CreateTrunc(asI64, m.intType(to.bits));
  return to.signed ? b.CreateSExt(narrow, m.i64) : b.CreateZExt(narrow, m.i64);
}

/**
 * String equality, as strcmp() == 0: compares the first min(size) bytes, which for the
 * shorter side includes its NUL, so "ab" does not equal "abc". Bytes after a NUL are zero
 * in every string nettrace makes, so comparing past it changes nothing.
 */
export function emitStringsEqual(f: FunctionContext, l: LLVM.Value, r: LLVM.Value, lSize: number, rSize: number): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const n = Math.min(lSize, rSize);
  let all: LLVM.Value = b.getTrue();
  for (let i = 0; i < n; ) {
    const width = n - i >= 8 ? 8 : n - i >= 4 ? 4 : n - i >= 2 ? 2 : 1;
    all = b.CreateAnd(all, b.CreateICmpEQ(f.loadInt(l, i, width * 8), f.loadInt(r, i, width * 8)));
    i += width;
  }
  return all;
}

/** A string as a longer string type: copied into a zeroed buffer of the longer size. */
export function widenString(f: FunctionContext, value: LLVM.Value, from: Type, to: Type): LLVM.Value {
  if (from.kind !== 'str' || to.kind !== 'str' || from.size >= to.size) return value;
  const buffer = f.zeroedBuffer(to.size, 'string_widened');
  copyMemory(f, buffer, value, from.size);
  return buffer;
}
