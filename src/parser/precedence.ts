// Binary operator precedence, C's order (higher binds tighter); all are left-associative.
// The ternary `?:` sits below all of these (grammar.ts), unary operators and casts above.
// `in` (`ip.src in 10.0.0.0/8`) shares the level of the relational operators.
import type { BinaryOp } from '../model/ast.js';

export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  in: 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};
