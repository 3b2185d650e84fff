// clear(@m), zero(@m), print(@m[, top]): actions on a whole map, which only user space
// can do (a program cannot iterate a map). The program sends a record; user space acts
// on it in order with the program's other records.
import { literalValue } from '../model/literal-value.js';
import { E } from '../diagnostics/catalogue.js';
import { RECORD_HEADER_SIZE, RecordKind } from '../model/event-records.js';
import { argumentCount, type CallCheck, type CallEmit, type CallStatement } from './call.js';
import { checkPrintValue, emitPrintValue, printsValue } from './print-value.js';

function wholeMapAction(name: 'clear' | 'zero', doc: string): CallStatement {
  return {
    name,
    signature: `${name}(@m)`,
    doc,
    check(c) {
      if (argumentCount(c, 1, 1, this.signature)) c.mapArgument(c.call.args[0], false);
    },
    emit(c) {
      c.emitRecord(RecordKind[name], mapIndex(c), 0);
    },
  };
}

export const clearFunction = wholeMapAction('clear', 'removes every key');
export const zeroFunction = wholeMapAction('zero', 'sets every value to zero and keeps the keys');

export const printFunction: CallStatement = {
  name: 'print',
  signature: 'print(@m[, N])',
  doc: 'prints the map now; with N, only its N biggest entries (still smallest first)',
  check(c: CallCheck) {
    if (printsValue(c.call.args[0])) return checkPrintValue(c);
    if (!argumentCount(c, 1, 2, this.signature)) return;
    c.mapArgument(c.call.args[0], false);
    const top = c.call.args[1];
    if (top === undefined) return;
    const n = literalValue(top);
    if (n === undefined || n <= 0n) c.report(E.BadArgument, 'the number of entries print() shows must be a positive integer constant', top.span, 'for example: print(@bytes, 10)');
    else if (n > 0xffffffffn) c.report(E.BadArgument, `print() can show at most ${0xffffffff} entries`, top.span);
  },
  emit(c) {
    if (printsValue(c.call.args[0])) return emitPrintValue(c);
    const top = c.call.args[1] === undefined ? 0n : literalValue(c.call.args[1])!;
    c.emitRecord(RecordKind.print, mapIndex(c), 8, (record) => c.f.storeInt(record, RECORD_HEADER_SIZE, 64, c.f.m.i64Const(top)));
  },
};

function mapIndex(c: CallEmit): number {
  const ref = c.call.args[0];
  if (ref.kind !== 'Map') throw new Error('internal: a map action on a non-map');
  return c.map(ref.name).index;
}
