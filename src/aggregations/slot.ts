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

/**
 * Word `i` summed over the CPUs' slots. Printing a big map sums millions of words, most of
 * them 0 (empty hist buckets): unsigned words below 2^53 are added as plain numbers and
 * only the total becomes a bigint, so a zero costs no allocation at all.
 */
export function sumWord(slots: Buffer[], i: number, signed = false): bigint {
  if (!signed) {
    let total = 0;
    for (const s of slots) {
      const high = s.readUInt32LE(i * 8 + 4);
      if (high >= 0x200000) return slowSum(slots, i, signed); // 2^53 and above
      total += high * 0x100000000 + s.readUInt32LE(i * 8);
    }
    if (total === 0) return 0n;
    if (total <= Number.MAX_SAFE_INTEGER) return BigInt(total);
  }
  return slowSum(slots, i, signed);
}

/**
 * Unsigned words 0 .. count-1, each summed over the CPUs' slots, read through a Uint32Array
 * view of each slot (one view per slot rather than a bounds-checked read per word); words
 * that are 0 on every CPU stay the constant 0n.
 */
export function sumWords(slots: Buffer[], count: number): bigint[] {
  const sums = new Array<bigint>(count).fill(0n);
  for (const s of slots) {
    if (s.byteOffset % 4 !== 0) {
      for (let i = 0; i < count; i++) sums[i] += wordOf(s, i);
      continue;
    }
    const halves = new Uint32Array(s.buffer, s.byteOffset, count * 2);
    for (let i = 0; i < count; i++) {
      const low = halves[2 * i];
      const high = halves[2 * i + 1];
      if ((low | high) === 0) continue;
      sums[i] += high < 0x200000 ? BigInt(high * 0x100000000 + low) : wordOf(s, i);
    }
  }
  return sums;
}

function slowSum(slots: Buffer[], i: number, signed: boolean): bigint {
  return slots.reduce((total, s) => total + wordOf(s, i, signed), 0n);
}
