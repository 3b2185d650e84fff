// How deep the expressions of a parsed program nest, measured without recursion, so the
// passes after the parser (checker, codegen, printers), which recurse over expressions,
// never meet a tree deeper than they can walk.
//
// A chain of one binary operator (`a + b + c + ...`, `x == 1 || x == 2 || ...`) is
// left-nested: `((a + b) + c) + ...`. The later passes walk such a left spine with a loop
// (check/infer.ts, codegen/expr.ts), so a left operand that is itself a binary expression
// does not count as a level here; a 3000-term sum is depth 1. Every other nesting (a
// right operand, a unary operand, a ternary branch, a call argument, a map key) counts.
import type { Expr, Program, Stmt } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';

/** Deeper than any program a person writes, shallow enough for every recursive pass. */
export const MAX_EXPRESSION_DEPTH = 200;

/** The first expression nested deeper than MAX_EXPRESSION_DEPTH, as a diagnostic. */
export function expressionDepthDiagnostic(program: Program): Diagnostic | undefined {
  const roots: Expr[] = [];
  const statements: Stmt[] = [];
  for (const block of program.blocks) {
    if (block.predicate) roots.push(block.predicate);
    statements.push(...block.body);
  }
  while (statements.length > 0) {
    const s = statements.pop()!;
    switch (s.kind) {
      case 'ExprStmt':
        roots.push(s.expr);
        break;
      case 'MapAssign':
        roots.push(s.target, s.value);
        break;
      case 'VarAssign':
        roots.push(s.value);
        break;
      case 'If':
        roots.push(s.cond);
        statements.push(...s.then, ...(s.else ?? []));
        break;
      case 'Block':
        statements.push(...s.body);
        break;
    }
  }
  const pending: Array<[Expr, number]> = roots.map((e) => [e, 1]);
  while (pending.length > 0) {
    const [e, depth] = pending.pop()!;
    if (depth > MAX_EXPRESSION_DEPTH) {
      return error(
        E.TooDeeplyNested,
        `this expression is nested more than ${MAX_EXPRESSION_DEPTH} deep`,
        e.span,
        'split it into $variables; a long chain of one operator (a + b + c ..., x == 1 || x == 2 ...) is fine, and `x in {1, 2, 3}` tests many values at once',
      );
    }
    for (const [child, step] of children(e)) pending.push([child, depth + step]);
  }
  return undefined;
}

/** The sub-expressions of `e`, each with how many levels it adds (0 for a left spine). */
function children(e: Expr): Array<[Expr, number]> {
  switch (e.kind) {
    case 'Binary':
      return [[e.left, e.left.kind === 'Binary' ? 0 : 1], [e.right, 1]];
    case 'Unary':
      return [[e.operand, 1]];
    case 'Ternary':
      return [[e.cond, 1], [e.then, 1], [e.else, 1]];
    case 'Cast':
      return [[e.expr, 1]];
    case 'Field':
      return [[e.object, 1]];
    case 'Index':
      return [[e.object, 1], [e.index, 1], ...(e.size ? [[e.size, 1] as [Expr, number]] : [])];
    case 'Call':
      return e.args.map((a) => [a, 1]);
    case 'Map':
      return e.keys.map((k) => [k, 1]);
    case 'Set':
      return e.elements.map((x) => [x, 1]);
    default:
      return [];
  }
}
