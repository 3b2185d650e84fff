// Test helpers: a compact S-expression view of expressions and statements, so tests can
// assert tree shapes (`(+ 1 (* 2 3))`) without spelling out whole AST objects, and a
// span-free copy of the AST for comparing two parses.
import type { Expr, Stmt } from '../../../src/model/ast.js';

export function show(e: Expr): string {
  switch (e.kind) {
    case 'Int':
      return `${e.value}`;
    case 'Str':
      return JSON.stringify(e.value);
    case 'Bool':
      return `${e.value}`;
    case 'Addr':
      return `addr${e.family}[${e.bytes.join('.')}${e.prefix !== undefined ? `/${e.prefix}` : ''}]`;
    case 'Mac':
      return `mac[${e.bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')}]`;
    case 'Ident':
      return e.name;
    case 'Var':
      return `$${e.name}`;
    case 'Map':
      return e.keys.length > 0 ? `@${e.name}[${e.keys.map(show).join(', ')}]` : `@${e.name}`;
    case 'Field':
      return `${show(e.object)}${e.arrow ? '->' : '.'}${e.name}`;
    case 'Index':
      return `${show(e.object)}[${show(e.index)}${e.size ? `:${show(e.size)}` : ''}]`;
    case 'Call':
      return `${e.callee}(${e.args.map(show).join(', ')})`;
    case 'Binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'Unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'Ternary':
      return `(? ${show(e.cond)} ${show(e.then)} ${show(e.else)})`;
    case 'Cast':
      return `(cast ${e.typeName}${'*'.repeat(e.pointer)} ${show(e.expr)})`;
    case 'Set':
      return `{${e.elements.map(show).join(', ')}}`;
  }
}

export function showStmt(s: Stmt): string {
  switch (s.kind) {
    case 'ExprStmt':
      return show(s.expr);
    case 'MapAssign':
    case 'VarAssign':
      return `${show(s.target)} ${s.op === '=' ? '=' : `${s.op}=`} ${show(s.value)}`;
    case 'If':
      return `if ${show(s.cond)} { ${s.then.map(showStmt).join('; ')} }${s.else ? ` else { ${s.else.map(showStmt).join('; ')} }` : ''}`;
    case 'Block':
      return `{ ${s.body.map(showStmt).join('; ')} }`;
  }
}

/** A deep copy without `span`, `nameSpan` and `calleeSpan`. */
export function withoutSpans<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === 'span' || key === 'nameSpan' || key === 'calleeSpan' ? undefined : typeof v === 'bigint' ? `${v}n` : v,
    ),
  ) as T;
}
