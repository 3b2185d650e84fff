// Integer constants as written: the checker, aggregations (lhist's bounds) and functions
// (print's top) read them straight from the AST.
import type { Expr } from './ast.js';

/** The value of an integer literal (`42`, `-1`), or undefined for anything else. */
export function literalValue(e: Expr): bigint | undefined {
  if (e.kind === 'Int') return e.value;
  if (e.kind === 'Unary' && e.op === '-' && e.operand.kind === 'Int') return -e.operand.value;
  return undefined;
}

/** A constant as written, as set membership compares it (codegen/set-membership.ts). */
export type LiteralConstant = { kind: 'int'; value: bigint } | { kind: 'bytes'; bytes: number[] };

/**
 * The value of a literal that can stand in a set or an equality chain: an integer, an
 * IPv4 address (an integer in host order, as ip.src is), an IPv6 address or a MAC (their
 * bytes in network order). Networks (`10.0.0.0/8`) are not single values.
 */
export function literalConstant(e: Expr): LiteralConstant | undefined {
  const n = literalValue(e);
  if (n !== undefined) return { kind: 'int', value: n };
  if (e.kind === 'Addr' && e.prefix === undefined) {
    if (e.family === 6) return { kind: 'bytes', bytes: e.bytes };
    const [a = 0, b = 0, c = 0, d = 0] = e.bytes;
    return { kind: 'int', value: BigInt(((a << 24) | (b << 16) | (c << 8) | d) >>> 0) };
  }
  if (e.kind === 'Mac') return { kind: 'bytes', bytes: e.bytes };
  return undefined;
}
