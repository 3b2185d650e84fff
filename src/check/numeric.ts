// The integer rules: how literals take their size, what arithmetic yields, what a cast
// means, and how two uses of one map or variable agree on a type.
//
// Every integer is computed in 64 bits (codegen widens on read). A type's width and
// signedness decide how it is stored, compared, divided and printed. Literals have no
// width of their own: next to a typed operand they take that operand's signedness, so
// `pkt.len - 100` stays unsigned and `$delta - 1` stays signed.
import type { Expr } from '../model/ast.js';
import { literalValue } from '../model/literal-value.js';
import { bool, int, sameType, type IntType, type Type, u64, s64 } from '../model/types.js';

function fitsIn(value: bigint, t: IntType): boolean {
  const bits = BigInt(t.bits);
  if (t.signed) return value >= -(1n << (bits - 1n)) && value < 1n << (bits - 1n);
  return value >= 0n && value < 1n << bits;
}

/**
 * `a OP b` for arithmetic and bitwise operators. The result is 64 bits wide; it is signed
 * when a non-literal operand is signed (or a literal is negative). `x & MASK` keeps x's
 * type, so `ip.src & 0xffffff00` still prints as an address.
 */
export function arithmeticType(op: string, a: IntType, b: IntType, left: Expr, right: Expr): IntType {
  const leftLit = literalValue(left);
  const rightLit = literalValue(right);
  if ((op === '&' || op === '|' || op === '^') && (leftLit !== undefined) !== (rightLit !== undefined)) {
    const typed = leftLit === undefined ? a : b;
    const lit = (leftLit ?? rightLit)!;
    if (op === '&' && lit >= 0n) return typed;
    if (fitsIn(lit, typed) && lit >= 0n) return typed;
  }
  // Shifts take the left operand's signedness, as in C.
  if (op === '<<' || op === '>>') return (leftLit === undefined ? a.signed : leftLit < 0n) ? s64 : u64;
  return signedComparison(a, b, left, right) ? s64 : u64;
}

/** Comparisons are signed when either typed side is signed or a literal is negative. */
export function signedComparison(a: IntType, b: IntType, left: Expr, right: Expr): boolean {
  const l = literalValue(left);
  const r = literalValue(right);
  return (l === undefined ? a.signed : l < 0n) || (r === undefined ? b.signed : r < 0n);
}

const CAST_NAMES: Record<string, Type> = {
  u8: int(8, false), u16: int(16, false), u32: int(32, false), u64: int(64, false),
  s8: int(8, true), s16: int(16, true), s32: int(32, true), s64: int(64, true),
  uint8: int(8, false), uint16: int(16, false), uint32: int(32, false), uint64: int(64, false),
  int8: int(8, true), int16: int(16, true), int32: int(32, true), int64: int(64, true),
  bool,
};

/** The type a scalar cast names (`(u32)x`), or undefined when it is not a scalar type. */
export function castTarget(typeName: string, pointer: number): Type | undefined {
  return pointer === 0 ? CAST_NAMES[typeName] : undefined;
}

export function castTypeNames(): string[] {
  return Object.keys(CAST_NAMES);
}

/**
 * The one type two uses of a map key, map value or variable share, or undefined when
 * they cannot share one. Integers widen to the larger width and become signed if either
 * is; strings widen to the longer; everything else must match exactly.
 */
export function unify(a: Type, b: Type): Type | undefined {
  if (a.kind === 'int' && b.kind === 'int') {
    if (a.show !== b.show && a.show !== undefined && b.show !== undefined) return undefined;
    const show = a.show ?? b.show;
    const bits = Math.max(a.bits, b.bits) as IntType['bits'];
    // Keep the enum's names (drop reasons, direction) so the value still prints by name.
    const names = a.enum ?? b.enum;
    const unified = names ? { ...int(bits, a.signed || b.signed, show), enum: names } : int(bits, a.signed || b.signed, show);
    // strftime's format and kstack(N)'s frame count are part of how the value prints: two
    // formats cannot share one map key or variable.
    const timeFormat = a.timeFormat ?? b.timeFormat;
    const stackFrames = a.stackFrames ?? b.stackFrames;
    if (a.timeFormat && b.timeFormat && a.timeFormat.format !== b.timeFormat.format) return undefined;
    if (show === 'kstack' && a.stackFrames !== b.stackFrames) return undefined;
    return { ...unified, ...(timeFormat && { timeFormat }), ...(stackFrames !== undefined && { stackFrames }) };
  }
  if (a.kind === 'str' && b.kind === 'str') return a.size >= b.size ? a : b;
  return sameType(a, b) ? a : undefined;
}
