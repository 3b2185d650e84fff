// CST to AST. Runs only on blocks that parsed without syntax errors, so every mandatory
// child is present; what the grammar deliberately lets through (a missing ';' between
// statements, an assignment to something that is not a @map or $variable) and literal
// values (NT0106 / NT0108) are reported here.
import type { CstNode, CstElement, IToken } from 'chevrotain';
import { end, endOf, firstToken, isToken, nodes, one, startOf, token, tokens } from './cst.js';
import type {
  AssignOp,
  BinaryOp,
  Expr,
  MapRef,
  ProbeBlock,
  ProbeSpec,
  Span,
  Stmt,
  UnaryOp,
  Var,
} from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineIndex } from '../lexer/positions.js';
import * as T from '../lexer/tokens.js';
import { describeToken } from './describe.js';
import { PRECEDENCE } from './precedence.js';
import { looksLikeConstant } from '../model/constant-name.js';
import { decodeInt, decodeIpv4, decodeIpv6, decodeMac, decodeString, type Decoded } from './literals.js';

interface Operand {
  expr: Expr;
  start: number;
  end: number;
}

/** Bit operators between two constant names bind above comparisons (`==` is 6, `<` 7), below shifts (8). */
const FLAG_GROUP_PRECEDENCE: Partial<Record<BinaryOp, number>> = { '|': 7.25, '^': 7.5, '&': 7.75 };

function isFlagGroup(op: BinaryOp, left: Expr, right: Expr): boolean {
  const named = (e: Expr) => e.kind === 'Ident' && looksLikeConstant(e.name);
  return op in FLAG_GROUP_PRECEDENCE && named(left) && named(right);
}

const COMPOUND_OPS = new Map(T.COMPOUND_ASSIGN.map(([tok, op]) => [tok.name, op as AssignOp]));

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly lines: LineIndex) {}

  probeBlock(node: CstNode): ProbeBlock {
    const c = node.children;
    const probes = tokens(c.probes).map((t) => this.probeSpec(t));
    const predicate = c.predicate ? this.expression(one(c.predicate)) : undefined;
    const open = token(c.open);
    const close = token(c.close);
    const form = open.tokenType === T.AngleOpen ? 'angle' : 'brace';
    const body = this.stmtList(one(c.body), form === 'angle' ? "'>'" : "'}'");
    return {
      kind: 'ProbeBlock',
      span: this.lines.span(probes[0]!.span.start.offset, end(close)),
      probes,
      ...(predicate ? { predicate } : {}),
      body,
      form,
    };
  }

  private probeSpec(t: IToken): ProbeSpec {
    const [provider, ...parts] = t.image.split(':') as [string, ...string[]];
    return { kind: 'ProbeSpec', span: this.tokenSpan(t), provider, parts, text: t.image };
  }

  // ---- statements ----

  /** `closer` names the token that ends this list, for the missing-';' message. */
  private stmtList(node: CstNode, closer: string): Stmt[] {
    const c = node.children;
    const items: CstElement[] = [
      ...(c.Semi ?? []),
      ...(c.ifStmt ?? []),
      ...(c.block ?? []),
      ...(c.simpleStmt ?? []),
    ].sort((a, b) => startOf(a) - startOf(b));

    const out: Stmt[] = [];
    items.forEach((item, i) => {
      if (isToken(item)) return; // ';'
      if (item.name === 'ifStmt') out.push(this.ifStmt(item));
      else if (item.name === 'block') out.push(this.blockStmt(item));
      else {
        out.push(this.simpleStmt(item));
        const next = items[i + 1];
        if (next !== undefined && !isToken(next)) {
          const first = firstToken(next);
          this.diagnostics.push(
            error(
              E.UnexpectedToken,
              `expected ';' or ${closer} but found ${describeToken(first)}`,
              this.tokenSpan(first),
              'statements are separated by ;',
            ),
          );
        }
      }
    });
    return out;
  }

  private ifStmt(node: CstNode): Stmt {
    const c = node.children;
    const cond = this.expression(one(c.cond));
    const then = this.blockBody(one(c.then));
    const elseNode = c.elseIf?.[0] ?? c.elseBlock?.[0];
    let elseBranch: Stmt[] | undefined;
    if (elseNode && !isToken(elseNode)) {
      elseBranch = elseNode.name === 'ifStmt' ? [this.ifStmt(elseNode)] : this.blockBody(elseNode);
    }
    return {
      kind: 'If',
      span: this.nodeSpan(node),
      cond,
      then,
      ...(elseBranch ? { else: elseBranch } : {}),
    };
  }

  private blockStmt(node: CstNode): Stmt {
    return { kind: 'Block', span: this.nodeSpan(node), body: this.blockBody(node) };
  }

  private blockBody(node: CstNode): Stmt[] {
    return this.stmtList(one(node.children.body), "'}'");
  }

  private simpleStmt(node: CstNode): Stmt {
    const c = node.children;
    const target = this.expression(one(c.target));
    const span = this.nodeSpan(node);

    let op: AssignOp;
    let value: Expr;
    if (c.assignOp) {
      const opTok = token(c.assignOp);
      op = opTok.tokenType === T.Assign ? '=' : COMPOUND_OPS.get(opTok.tokenType.name)!;
      value = this.expression(one(c.value));
    } else if (c.step) {
      // `@x++` / `$x--` are `@x += 1` / `$x -= 1`; the 1 carries the span of the `++`.
      const stepTok = token(c.step);
      op = stepTok.tokenType === T.PlusPlus ? '+' : '-';
      value = { kind: 'Int', span: this.tokenSpan(stepTok), value: 1n };
    } else {
      return { kind: 'ExprStmt', span, expr: target };
    }

    if (target.kind === 'Map') return { kind: 'MapAssign', span, target, op, value };
    if (target.kind === 'Var') return { kind: 'VarAssign', span, target, op, value };
    this.diagnostics.push(
      error(
        E.UnexpectedToken,
        'only a @map or a $variable can be assigned to',
        target.span,
        'write `@name = ...`, `@name[key] = ...` or `$name = ...`',
      ),
    );
    return { kind: 'ExprStmt', span, expr: target };
  }

  // ---- expressions ----

  private expression(node: CstNode): Expr {
    switch (node.name) {
      case 'expression':
        return this.ternary(node);
      case 'unary':
        return this.unary(node);
      case 'cast':
        return this.cast(node);
      case 'postfix':
        return this.postfix(node);
      case 'primary':
        return this.primary(node);
      case 'setLiteral':
        return { kind: 'Set', span: this.nodeSpan(node), elements: node.children.elements ? this.exprList(one(node.children.elements)) : [] };
      default:
        return this.binary(node);
    }
  }

  private ternary(node: CstNode): Expr {
    const c = node.children;
    const cond = this.expression(one(c.cond));
    if (!c.then) return cond;
    return {
      kind: 'Ternary',
      span: this.nodeSpan(node),
      cond,
      then: this.expression(one(c.then)),
      else: this.expression(one(c.else)),
    };
  }

  /**
   * Operands and operators as written, grouped by precedence (shunting-yard, iterative so
   * long chains such as `1 + 1 + ... + 1` need no deep recursion). Spans of operands are
   * taken from the CST so a parenthesised operand's span includes its parentheses.
   */
  private binary(node: CstNode): Expr {
    const operands = nodes(node.children.operands);
    const operators = tokens(node.children.operators);
    const item = (n: CstNode): Operand => ({ expr: this.expression(n), start: startOf(n), end: endOf(n) });
    const out: Operand[] = [item(operands[0]!)];
    const pending: BinaryOp[] = [];
    const reduce = (): void => {
      const right = out.pop()!;
      const left = out.pop()!;
      const op = pending.pop()!;
      const span = this.lines.span(left.start, right.end);
      out.push({ expr: { kind: 'Binary', span, op, left: left.expr, right: right.expr }, start: left.start, end: right.end });
    };
    // `SYN|ACK` between two constant names groups first, so `tcp.flags == SYN|ACK` means
    // tcp.flags == (SYN|ACK): C's (tcp.flags == SYN)|ACK would be a bool | number error.
    const precedence: number[] = [];
    operators.forEach((t, i) => {
      const op = t.image as BinaryOp;
      const next = item(operands[i + 1]!);
      const level = isFlagGroup(op, out[out.length - 1]!.expr, next.expr) ? FLAG_GROUP_PRECEDENCE[op]! : PRECEDENCE[op];
      // Left-associative: an equal-precedence operator on the stack is applied first.
      while (pending.length > 0 && precedence[precedence.length - 1]! >= level) {
        precedence.pop();
        reduce();
      }
      pending.push(op);
      precedence.push(level);
      out.push(next);
    });
    while (pending.length > 0) reduce();
    return out[0]!.expr;
  }

  private unary(node: CstNode): Expr {
    const c = node.children;
    if (c.cast) return this.cast(one(c.cast));
    if (c.postfix) return this.postfix(one(c.postfix));
    return {
      kind: 'Unary',
      span: this.nodeSpan(node),
      op: token(c.operator).image as UnaryOp,
      operand: this.expression(one(c.operand)),
    };
  }

  private cast(node: CstNode): Expr {
    const c = node.children;
    const keyword = c.typeKeyword ? `${token(c.typeKeyword).image} ` : '';
    return {
      kind: 'Cast',
      span: this.nodeSpan(node),
      typeName: keyword + token(c.typeName).image,
      pointer: c.stars?.length ?? 0,
      expr: this.expression(one(c.operand)),
    };
  }

  private postfix(node: CstNode): Expr {
    const c = node.children;
    let object = this.primary(one(c.primary));
    const ops = tokens(c.accessOps).sort((a, b) => a.startOffset - b.startOffset);
    const names = tokens(c.fieldNames).sort((a, b) => a.startOffset - b.startOffset);
    const indexes = nodes(c.indexes);
    const start = startOf(one(c.primary));
    // `.name` and `[...]` suffixes, applied in the order they are written (vlan[1].id).
    const suffixes: Array<{ at: number; field?: number; index?: CstNode }> = [
      ...ops.map((op, i) => ({ at: op.startOffset, field: i })),
      ...indexes.map((n) => ({ at: startOf(n), index: n })),
    ].sort((a, b) => a.at - b.at);
    for (const suffix of suffixes) {
      if (suffix.index) {
        const ic = suffix.index.children;
        object = {
          kind: 'Index',
          span: this.lines.span(start, endOf(suffix.index)),
          object,
          index: this.expression(one(ic.offset)),
          ...(ic.size ? { size: this.expression(one(ic.size)) } : {}),
        };
        continue;
      }
      const i = suffix.field!;
      const name = names[i]!;
      object = {
        kind: 'Field',
        span: this.lines.span(start, end(name)),
        object,
        name: name.image,
        arrow: ops[i]!.tokenType === T.Arrow,
        nameSpan: this.tokenSpan(name),
      };
    }
    return object;
  }

  private primary(node: CstNode): Expr {
    const c = node.children;
    const span = this.nodeSpan(node);
    if (c.literal) return this.literal(token(c.literal));
    if (c.variable) {
      const v: Var = { kind: 'Var', span, name: token(c.variable).image.slice(1) };
      return v;
    }
    if (c.name) {
      const name = token(c.name);
      if (!c.callOpen) return { kind: 'Ident', span, name: name.image };
      const args = c.args ? this.exprList(one(c.args)) : [];
      return { kind: 'Call', span, callee: name.image, calleeSpan: this.tokenSpan(name), args };
    }
    if (c.map) {
      const keys = c.keys ? this.exprList(one(c.keys)) : [];
      const m: MapRef = { kind: 'Map', span, name: token(c.map).image.slice(1), keys };
      return m;
    }
    // Parenthesised: the inner node keeps its own span; enclosing nodes include the parens.
    return this.expression(one(c.inner));
  }

  private exprList(node: CstNode): Expr[] {
    return nodes(node.children.items).map((n) => this.expression(n));
  }

  private literal(t: IToken): Expr {
    const span = this.tokenSpan(t);
    switch (t.tokenType) {
      case T.True:
        return { kind: 'Bool', span, value: true };
      case T.False:
        return { kind: 'Bool', span, value: false };
      case T.IntLit:
        return { kind: 'Int', span, value: this.check(t, decodeInt(t.image), 0n) };
      case T.Ipv4Lit: {
        const a = this.check(t, decodeIpv4(t.image), { bytes: [0, 0, 0, 0] });
        return { kind: 'Addr', span, family: 4, bytes: a.bytes, ...(a.prefix !== undefined ? { prefix: a.prefix } : {}) };
      }
      case T.Ipv6Lit: {
        const a = this.check(t, decodeIpv6(t.image), { bytes: new Array<number>(16).fill(0) });
        return { kind: 'Addr', span, family: 6, bytes: a.bytes, ...(a.prefix !== undefined ? { prefix: a.prefix } : {}) };
      }
      case T.MacLit:
        return { kind: 'Mac', span, bytes: this.check(t, decodeMac(t.image), [0, 0, 0, 0, 0, 0]) };
      default:
        // StringLit or UnterminatedString (the lexer reported the missing quote).
        return { kind: 'Str', span, value: this.check(t, decodeString(t.image), '', E.BadEscape) };
    }
  }

  /** The decoded value, or `fallback` after recording the problem with its exact span. */
  private check<V>(t: IToken, d: Decoded<V>, fallback: V, entry = E.BadLiteral): V {
    if (d.ok) return d.value;
    const from = t.startOffset + (d.from ?? 0);
    const to = t.startOffset + (d.to ?? t.image.length);
    this.diagnostics.push(error(entry, d.message, this.lines.span(from, to)));
    return fallback;
  }

  // ---- spans ----

  private tokenSpan(t: IToken): Span {
    return this.lines.span(t.startOffset, end(t));
  }

  private nodeSpan(node: CstNode): Span {
    return this.lines.span(startOf(node), endOf(node));
  }
}
