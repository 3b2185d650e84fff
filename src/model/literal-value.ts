// Integer constants as written: the checker, aggregations (lhist's bounds) and functions
// (print's top) read them straight from the AST.
import type { Expr } from './ast.js';

/** The value of an integer literal (`42`, `-1`), or undefined for anything else. */
export function literalValue(e: Expr): bigint | undefined {
  if (e.kind === 'Int') return e.value;
  if (e.kind === 'Unary' && e.op === '-' && e.operand.kind === 'Int') return -e.operand.value;
  return undefined;
}
