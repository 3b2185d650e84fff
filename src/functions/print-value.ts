// print(value) for a value that is not a map, as bpftrace 0.17 has it: the value on a
// line of its own, printed the way `%s` prints it in printf (3, -4, bpftrace,
// 127.0.0.1). It is a printf("%s\n", value) record, so user space formats it in order
// with the program's other output. print(@m) stays the map action (map-actions.ts).
import { E } from '../diagnostics/catalogue.js';
import { layoutStruct } from '../model/layout.js';
import { RECORD_HEADER_SIZE, RecordKind } from '../model/event-records.js';
import type { Expr } from '../model/ast.js';
import type { CallCheck, CallEmit } from './call.js';

/** print(x) with x not a map: the value form. */
export function printsValue(arg: Expr | undefined): boolean {
  return arg !== undefined && arg.kind !== 'Map';
}

export function checkPrintValue(c: CallCheck): void {
  const [value, extra] = c.call.args;
  // Typing reports what is wrong inside the value; any type prints.
  c.typer.type(value, c.scope);
  if (extra !== undefined) c.report(E.WrongArgCount, 'print() of a value takes only the value: print(x); a number of entries goes with a map, print(@m, 10)', extra.span);
}

export function emitPrintValue({ call, f, exprs, next, probeText, emitRecord, storeValue }: CallEmit): void {
  const value = exprs.emit(call.args[0], next);
  const type = exprs.typeOf(call.args[0]);
  const layout = layoutStruct([type]);
  const site = f.outputs.addPrintf('%s\n', layout, probeText);
  site.value = true;
  emitRecord(RecordKind.printf, site.id, layout.size, (record) => storeValue(record, RECORD_HEADER_SIZE + layout.fields[0].offset, layout.fields[0].type, value, type));
}
