// A function called as a statement (`print(@m)`, `exit()`, `printf(...)`) is a small
// record: how its call is checked and how it is emitted. A new one is one new file that
// exports one of these and a line in registry.ts.
import type { Call, Expr, Span } from '../ast.js';
import type { MapInfo } from '../check/checked.js';
import type { ExprTyper, Scope } from '../check/infer.js';
import type { MapDescription } from '../codegen/described.js';
import type { ExprEmitter } from '../codegen/expr.js';
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import { E, type CatalogueEntry } from '../diagnostics/catalogue.js';

export interface CallCheck {
  call: Call;
  typer: ExprTyper;
  scope: Scope;
  report(entry: CatalogueEntry, message: string, span: Span, ...hints: string[]): undefined;
  /** The map an argument names (`@m`, or `@m[k]` when keyed is true); reported when unknown. */
  mapArgument(arg: Expr, keyed: boolean): MapInfo | undefined;
}

export interface CallEmit {
  call: Call;
  f: FunctionContext;
  exprs: ExprEmitter;
  /** The statement's successor: where a missing packet header sends it. */
  next: LLVM.BasicBlock;
  map(name: string): MapDescription;
  /** The probe this function is for, as written. */
  probeText: string;
}

export interface CallStatement {
  name: string;
  /** How a call is written, for messages and docs: `print(@map[, top])`. */
  signature: string;
  doc: string;
  check(c: CallCheck): void;
  emit(c: CallEmit): void;
}

/** True when the call has between min and max arguments; reports it otherwise. */
export function argumentCount(c: CallCheck, min: number, max: number, signature: string): boolean {
  const n = c.call.args.length;
  if (n >= min && n <= max) return true;
  const wanted = min === max ? (min === 0 ? 'no arguments' : `${min} argument${min === 1 ? '' : 's'}`) : `${min} to ${max} arguments`;
  c.report(E.WrongArgCount, `${c.call.callee}() takes ${wanted}: ${signature}`, c.call.span);
  return false;
}
