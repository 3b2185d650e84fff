// time([fmt]): prints the time now, as bpftrace's time(): the wall-clock time when user
// space handles the event, in a strftime(3) format ("%H:%M:%S\n" when none is given).
// It is a printf record with one value that prints as "now" in that format, so it comes
// out in order with the program's other lines.
import { E } from '../diagnostics/catalogue.js';
import { layoutStruct } from '../model/layout.js';
import { RECORD_HEADER_SIZE, RecordKind } from '../model/event-records.js';
import type { IntType } from '../model/types.js';
import { argumentCount, type CallStatement } from './call.js';

const DEFAULT_FORMAT = '%H:%M:%S\n';

export const timeFunction: CallStatement = {
  name: 'time',
  signature: 'time([fmt])',
  doc: 'prints the time now in a strftime(3) format, "%H:%M:%S\\n" by default',
  check(c) {
    if (!argumentCount(c, 0, 1, this.signature)) return;
    const [format] = c.call.args;
    if (format && format.kind !== 'Str') c.report(E.BadArgument, 'the format of time() must be a string literal', format.span, 'for example: time("%H:%M:%S\\n")');
  },
  emit({ call, f, probeText, emitRecord, storeValue }) {
    const [format] = call.args;
    const type: IntType = { kind: 'int', bits: 64, signed: false, show: 'strftime', timeFormat: { format: format?.kind === 'Str' ? format.value : DEFAULT_FORMAT, now: true } };
    const layout = layoutStruct([type]);
    const site = f.outputs.addPrintf('%s', layout, probeText);
    emitRecord(RecordKind.printf, site.id, layout.size, (record) => storeValue(record, RECORD_HEADER_SIZE + layout.fields[0].offset, type, f.m.i64Const(0), type));
  },
};
