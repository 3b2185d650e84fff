// -d ast: the syntax tree as an indented outline, one node a line, as bpftrace's -d ast
// shows it (one space of indent per level), instead of the AST's JSON.
// Walked with an explicit stack: a chain of 3000 `+` is 3000 levels deep.
import type { Expr, ProbeBlock, Program, Stmt } from '../../model/ast.js';

type Node = Program | ProbeBlock | Stmt | Expr | { kind: string };

/** A line of the outline, and the nodes (or labelled groups) below it. */
interface Entry {
  label: string;
  children: Array<Node | Group>;
}

/** A heading of its own under a node: `predicate`, `then`, `else`, `keys`. */
interface Group {
  group: string;
  nodes: Node[];
}

export function astTree(program: Program, text: string): string {
  const lines: string[] = [];
  const stack: Array<{ item: Node | Group; depth: number }> = [{ item: program, depth: 0 }];
  while (stack.length > 0) {
    const { item, depth } = stack.pop()!;
    const entry = 'group' in item ? { label: item.group, children: item.nodes } : describe(item, text);
    lines.push(' '.repeat(depth) + entry.label);
    for (let i = entry.children.length - 1; i >= 0; i--) stack.push({ item: entry.children[i], depth: depth + 1 });
  }
  return lines.join('\n') + '\n';
}

function describe(node: Node, text: string): Entry {
  const n = node as Program | ProbeBlock | Stmt | Expr;
  switch (n.kind) {
    case 'Program':
      return { label: 'Program', children: n.blocks };
    case 'ProbeBlock': {
      const children: Array<Node | Group> = [];
      if (n.predicate) children.push({ group: 'predicate', nodes: [n.predicate] });
      children.push(...n.body);
      return { label: n.probes.map((p) => p.text).join(', '), children };
    }
    case 'ExprStmt':
      return describe(n.expr, text);
    case 'MapAssign':
    case 'VarAssign':
      return { label: n.op === '=' ? '=' : `${n.op}=`, children: [n.target, n.value] };
    case 'If': {
      const children: Array<Node | Group> = [n.cond, { group: 'then', nodes: n.then }];
      if (n.else) children.push({ group: 'else', nodes: n.else });
      return { label: 'if', children };
    }
    case 'Block':
      return { label: 'block', children: n.body };
    case 'Int':
      return { label: `int: ${n.value}`, children: [] };
    case 'Str':
      return { label: `string: ${JSON.stringify(n.value)}`, children: [] };
    case 'Bool':
      return { label: `bool: ${n.value}`, children: [] };
    case 'Addr':
      return { label: `address: ${sourceOf(n, text)}`, children: [] };
    case 'Mac':
      return { label: `mac: ${sourceOf(n, text)}`, children: [] };
    case 'Ident':
      return { label: `ident: ${n.name}`, children: [] };
    case 'Field':
      return { label: `${n.arrow ? '->' : '.'}${n.name}`, children: [n.object] };
    case 'Index':
      return { label: n.size ? '[offset:size]' : '[index]', children: [n.object, n.index, ...(n.size ? [n.size] : [])] };
    case 'Map':
      return { label: `map: @${n.name}`, children: n.keys };
    case 'Var':
      return { label: `variable: $${n.name}`, children: [] };
    case 'Call':
      return { label: `call: ${n.callee}`, children: n.args };
    case 'Binary':
    case 'Unary':
      return { label: n.op, children: n.kind === 'Binary' ? [n.left, n.right] : [n.operand] };
    case 'Ternary':
      return { label: '?:', children: [n.cond, n.then, n.else] };
    case 'Cast':
      return { label: `cast: (${n.typeName}${'*'.repeat(n.pointer)})`, children: [n.expr] };
    case 'Set':
      return { label: 'set', children: n.elements };
    default:
      // A node kind newer than this printer: its name and the nodes it holds.
      return { label: (node as { kind: string }).kind, children: childNodes(node) };
  }
}

function childNodes(node: object): Node[] {
  const found: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'span') continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v && typeof v === 'object' && typeof (v as { kind?: unknown }).kind === 'string') found.push(v as Node);
    }
  }
  return found;
}

function sourceOf(node: { span: { start: { offset: number }; end: { offset: number } } }, text: string): string {
  return text.slice(node.span.start.offset, node.span.end.offset);
}
