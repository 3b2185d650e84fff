// The words of an aggregation slot: codegen reads and writes them as i64s at 8-byte
// offsets; the runtime reads them back from each CPU's copy.
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';

export function loadWord(f: FunctionContext, slot: LLVM.Value, word: number | LLVM.Value): LLVM.Value {
  return f.loadInt(slot, wordOffset(f, word), 64);
}

export function storeWord(f: FunctionContext, slot: LLVM.Value, word: number | LLVM.Value, value: LLVM.Value): void {
  const { m } = f;
  const ptr = m.b.CreateBitCast(f.byteOffset(slot, wordOffset(f, word)), m.ptrTo(m.i64));
  m.b.CreateStore(value, ptr);
}

export function addToWord(f: FunctionContext, slot: LLVM.Value, word: number | LLVM.Value, delta: LLVM.Value): void {
  storeWord(f, slot, word, f.m.b.CreateAdd(loadWord(f, slot, word), delta));
}

/** Stores `value` in `word` when `better(value, old)` holds or the slot is still empty. */
export function keepIf(
  f: FunctionContext,
  slot: LLVM.Value,
  word: number,
  value: LLVM.Value,
  empty: LLVM.Value,
  better: (value: LLVM.Value, old: LLVM.Value) => LLVM.Value,
): void {
  const { b } = f.m;
  const old = loadWord(f, slot, word);
  storeWord(f, slot, word, b.CreateSelect(b.CreateOr(empty, better(value, old)), value, old));
}

function wordOffset(f: FunctionContext, word: number | LLVM.Value): number | LLVM.Value {
  return typeof word === 'number' ? word * 8 : f.m.b.CreateShl(word, f.m.i64Const(3));
}

/** Word `i` of a slot read from the kernel, as signed or unsigned. */
export function wordOf(slot: Buffer, i: number, signed = false): bigint {
  return signed ? slot.readBigInt64LE(i * 8) : slot.readBigUInt64LE(i * 8);
}

export function sumWord(slots: Buffer[], i: number, signed = false): bigint {
  return slots.reduce((total, s) => total + wordOf(s, i, signed), 0n);
}
