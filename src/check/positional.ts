// Positional parameters, as bpftrace has them: `nettrace top-talkers.nt eth0` runs a
// script written as `xdp:$1 { ... }` on eth0. Scripts in stdlib/ take their interface
// this way instead of naming one machine's. In a probe spec `$N` is text; in an
// expression it is a value: a number when the argument is one (`/udp.dport == $1/` with
// 53), a string otherwise, 0 when it is not given (as bpftrace); `$#` is how many were
// given. The substitution happens on the AST before the checker resolves probes, and an
// expression keeps its span, so diagnostics still point at what the user wrote.
import type { Expr, Program, ProbeSpec, Stmt } from '../model/ast.js';
import { decodeInt } from '../parser/literals.js';
import { E } from '../diagnostics/catalogue.js';
import { error, throwIfErrors, type Diagnostic } from '../diagnostics/diagnostic.js';

const POSITIONAL = /\$(\d+)/g;

/** Returns the program with every `$N` in its probes replaced by params[N - 1]. */
export function substitutePositional(ast: Program, params: string[]): Program {
  const diagnostics: Diagnostic[] = [];
  const substitute = (spec: ProbeSpec): ProbeSpec => {
    if (!spec.text.includes('$')) return spec;
    // The text is rewritten like the parts, but only the parts report what is missing.
    const replace = (s: string, report: boolean) =>
      s.replace(POSITIONAL, (whole, digits: string) => {
        const n = Number(digits);
        const value = n >= 1 ? params[n - 1] : undefined;
        if (value !== undefined) return value;
        if (!report) return whole;
        diagnostics.push(
          error(
            E.MissingPositional,
            `${spec.text} uses ${whole}, but ${params.length === 0 ? 'no arguments were' : `only ${params.length} argument${params.length === 1 ? ' was' : 's were'}`} given after the program`,
            spec.span,
            `the arguments after the script (or after -e PROGRAM) are $1, $2 ...: nettrace SCRIPT.nt ${Array.from({ length: Math.max(n, 1) }, (_, i) => `ARG${i + 1}`).join(' ')}`,
          ),
        );
        return whole;
      });
    return { ...spec, parts: spec.parts.map((p) => replace(p, true)), text: replace(spec.text, false) };
  };
  const out: Program = { ...ast, blocks: ast.blocks.map((b) => ({ ...b, probes: b.probes.map(substitute) })) };
  for (const block of out.blocks) substituteInExpressions(block.predicate, block.body, params, diagnostics);
  throwIfErrors(diagnostics);
  return out;
}

/**
 * Turns each `$N` / `$#` expression into the literal it stands for, in place (the node
 * keeps its identity and span). Walked with a stack: expressions may be long chains.
 */
function substituteInExpressions(predicate: Expr | undefined, body: Stmt[], params: string[], diagnostics: Diagnostic[]): void {
  const exprs: Expr[] = predicate ? [predicate] : [];
  const stmts: Stmt[] = [...body];
  while (stmts.length > 0) {
    const s = stmts.pop()!;
    if (s.kind === 'ExprStmt') exprs.push(s.expr);
    else if (s.kind === 'MapAssign') exprs.push(s.target, s.value);
    else if (s.kind === 'VarAssign') {
      exprs.push(s.value);
      if (isPositional(s.target.name)) {
        diagnostics.push(error(E.TypeMismatch, `$${s.target.name} is a positional parameter, set on the command line; it cannot be assigned`, s.target.span, 'copy it into a variable of your own: $port = $1'));
      }
    } else if (s.kind === 'If') {
      exprs.push(s.cond);
      stmts.push(...s.then, ...(s.else ?? []));
    } else stmts.push(...s.body);
  }
  while (exprs.length > 0) {
    const e = exprs.pop()!;
    if (e.kind === 'Var' && isPositional(e.name)) {
      replaceWith(e, positionalValue(e.name, params));
      continue;
    }
    switch (e.kind) {
      case 'Binary': exprs.push(e.left, e.right); break;
      case 'Unary': exprs.push(e.operand); break;
      case 'Ternary': exprs.push(e.cond, e.then, e.else); break;
      case 'Cast': exprs.push(e.expr); break;
      case 'Field': exprs.push(e.object); break;
      case 'Index': exprs.push(e.object, e.index, ...(e.size ? [e.size] : [])); break;
      case 'Call': exprs.push(...e.args); break;
      case 'Map': exprs.push(...e.keys); break;
      case 'Set': exprs.push(...e.elements); break;
      default: break;
    }
  }
}

function isPositional(name: string): boolean {
  return name === '#' || /^\d+$/.test(name);
}

type Literal = { kind: 'Int'; value: bigint } | { kind: 'Str'; value: string };

/** `$#`: the count; `$N`: the argument as a number when it reads as one, else a string; 0 when missing. */
function positionalValue(name: string, params: string[]): Literal {
  if (name === '#') return { kind: 'Int', value: BigInt(params.length) };
  const n = Number(name);
  const text = n >= 1 ? params[n - 1] : undefined;
  if (text === undefined) return { kind: 'Int', value: 0n };
  const negative = text.startsWith('-');
  const number = decodeInt(negative ? text.slice(1) : text);
  if (number.ok && text.trim() === text && text !== '' && text !== '-') return { kind: 'Int', value: negative ? -number.value : number.value };
  return { kind: 'Str', value: text };
}

function replaceWith(node: Expr, literal: Literal): void {
  const target = node as unknown as Record<string, unknown>;
  delete target.name;
  Object.assign(target, literal);
}
