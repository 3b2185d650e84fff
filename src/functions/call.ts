// A function called as a statement (`print(@m)`, `exit()`, `printf(...)`) is a small
// record: how its call is checked and how it is emitted; the checker, codegen, completion,
// did-you-mean and the docs' function tables read these records. A new one is one new
// file that exports one of these and a line in registry.ts.
//
// Records reach codegen only through types and the CallEmit context codegen passes in
// (src/codegen/call-emit.ts), so the checker, which reads these records, loads no LLVM.
import type { Call, Expr, MapRef, Span } from '../model/ast.js';
import type { MapInfo } from '../model/checked.js';
import type { ExprTyper, Scope } from '../check/infer.js';
import type { MapDescription } from '../model/compiled-program.js';
import type { ExprEmitter } from '../codegen/expr.js';
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import type { RecordKindValue } from '../model/event-records.js';
import type { Type } from '../model/types.js';
import type { CaptureCall } from '../model/capture.js';
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
  /** Sends one event record (src/model/event-records.ts): the header, then `fill` writes the payload after it. */
  emitRecord(kind: RecordKindValue, index: number, payloadSize: number, fill?: (record: LLVM.Value) => void): void;
  /** exit(): raises the status map's exit word and tells user space through a record. */
  emitExitRequest(): void;
  /** capture(): copies the packet (the hook's, or the sk_buff `skb` points at) to the capture ring. */
  emitCapture(checked: CaptureCall, skb: LLVM.Value | undefined, reason: LLVM.Value | undefined): void;
  /** Removes the key `@m[k]` names from its map; a missing packet header skips it. */
  deleteKey(ref: MapRef): void;
  /** Stores `value` (of type `from`) as a `to` at `ptr + offset`, as map keys and records hold it. */
  storeValue(ptr: LLVM.Value, offset: number, to: Type, value: LLVM.Value, from: Type): void;
}

export interface CallStatement {
  name: string;
  /** How a call is written, for messages and docs: `print(@m[, N])`. */
  signature: string;
  /** What it does, as docs/language.md's function tables say it. */
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
