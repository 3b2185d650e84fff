// -d types: every expression the checker typed, with its type, under its probe block.
// An expression is shown as its source text, indented one space per level below the
// statement it is part of, so `a + b` comes first and then `a` and `b` under it.
// A map shows its value's type (or its aggregation); `-` marks an expression with no value of its own.
import type { Expr, ProbeBlock } from '../../model/ast.js';
import type { CheckedProgram } from '../../model/checked.js';
import { typeName } from '../../model/types.js';

/** Longer expressions are cut: the lines below them show their parts. */
const MAX_SOURCE_CHARS = 60;

export function expressionTypes(checked: CheckedProgram, text: string): string {
  const lines: string[] = [];
  for (const block of checked.ast.blocks) {
    lines.push(block.probes.map((p) => p.text).join(', '));
    // Explicit stack: a 3000-term chain is 3000 levels deep.
    const stack = topExpressions(block).reverse().map((expr) => ({ expr, depth: 1 }));
    while (stack.length > 0) {
      const { expr, depth } = stack.pop()!;
      lines.push(`${' '.repeat(depth)}${sourceOf(expr, text)} : ${typeOf(expr, checked)}`);
      const children = childExpressions(expr);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ expr: children[i], depth: depth + 1 });
    }
  }
  return lines.join('\n') + '\n';
}

/** A map's value type comes from the map; `-` is an expression with no value of its own (a header name, printf()). */
function typeOf(expr: Expr, checked: CheckedProgram): string {
  const type = checked.types.get(expr);
  if (type) return typeName(type);
  if (expr.kind === 'Map') {
    const value = checked.maps.get(expr.name)?.value;
    if (value?.kind === 'scalar') return typeName(value.type);
    if (value?.kind === 'agg') return `${value.agg}()`;
  }
  return '-';
}

/** The predicate, then the expressions of each statement in order (into if branches and blocks). */
function topExpressions(block: ProbeBlock): Expr[] {
  const found: Expr[] = block.predicate ? [block.predicate] : [];
  const statements = [...block.body];
  while (statements.length > 0) {
    const s = statements.shift()!;
    switch (s.kind) {
      case 'ExprStmt':
        found.push(s.expr);
        break;
      case 'MapAssign':
      case 'VarAssign':
        found.push(s.target, s.value);
        break;
      case 'If':
        found.push(s.cond);
        statements.unshift(...s.then, ...(s.else ?? []));
        break;
      case 'Block':
        statements.unshift(...s.body);
        break;
    }
  }
  return found;
}

function childExpressions(expr: Expr): Expr[] {
  const found: Expr[] = [];
  for (const [key, value] of Object.entries(expr)) {
    if (key === 'span' || key === 'nameSpan' || key === 'calleeSpan') continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v && typeof v === 'object' && typeof (v as { kind?: unknown }).kind === 'string') found.push(v as Expr);
    }
  }
  return found;
}

function sourceOf(expr: Expr, text: string): string {
  const source = text.slice(expr.span.start.offset, expr.span.end.offset).replace(/\s+/g, ' ') || rebuilt(expr, text);
  return source.length > MAX_SOURCE_CHARS ? `${source.slice(0, MAX_SOURCE_CHARS - 3)}...` : source;
}

/** An expression the compiler added (-p's `pid == PID`) has no source text: it is written out from the tree. */
function rebuilt(expr: Expr, text: string): string {
  switch (expr.kind) {
    case 'Ident':
      return expr.name;
    case 'Int':
      return String(expr.value);
    case 'Binary':
      return `${sourceOf(expr.left, text)} ${expr.op} ${sourceOf(expr.right, text)}`;
    default:
      return `(${expr.kind})`;
  }
}
