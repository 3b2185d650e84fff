// printf(fmt, args...): the program sends the arguments' raw values in a record; user
// space formats them (src/format/printf-text.ts), so the kernel never formats text.
import { layoutStruct } from '../model/layout.js';
import { E } from '../diagnostics/catalogue.js';
import { conversions, isBufferConversion, isFormatError, isNumericConversion, parseFormat } from '../events/format-string.js';
import { RECORD_HEADER_SIZE, RecordKind } from '../model/event-records.js';
import { typeName, type Type } from '../model/types.js';
import type { Span } from '../model/ast.js';
import type { CallStatement } from './call.js';

/** Argument bytes one record may carry: records are built on the 512-byte BPF stack. */
const MAX_PRINTF_ARGUMENT_BYTES = 256;

export const printfFunction: CallStatement = {
  name: 'printf',
  signature: 'printf(fmt, args...)',
  doc: 'prints a line built from a format and its arguments (below)',
  check(c) {
    const [format, ...args] = c.call.args;
    const types = args.map((a) => c.typer.type(a, c.scope));
    if (!format) return void c.report(E.WrongArgCount, 'printf() needs a format string: printf("format", args...)', c.call.span);
    if (format.kind !== 'Str') return void c.report(E.BadArgument, 'the format of printf() must be a string literal', format.span, 'for example: printf("%d packets\\n", @count)');
    const pieces = parseFormat(format.value);
    if (isFormatError(pieces)) {
      return void c.report(E.BadFormat, pieces.message, insideString(format.span, pieces.offset, pieces.length), 'conversions: %d %i %u %x %X %o %c %s %p %r %rx, and %% for a %');
    }
    const wanted = conversions(pieces);
    if (wanted.length !== args.length) {
      const span = args.length > wanted.length ? args[wanted.length].span : c.call.span;
      return void c.report(E.WrongArgCount, `the format has ${wanted.length} conversion${wanted.length === 1 ? '' : 's'} but printf() got ${args.length} argument${args.length === 1 ? '' : 's'}`, span);
    }
    let complete = true;
    wanted.forEach((conversion, i) => {
      const t = types[i];
      if (!t) return void (complete = false);
      if (isNumericConversion(conversion.conversion) && t.kind !== 'int' && t.kind !== 'bool') {
        complete = false;
        c.report(E.TypeMismatch, `'${conversion.spec}' prints a number, but this is ${typeName(t)}`, args[i].span, "'%s' prints any value the way it prints as a map key");
      }
      if (isBufferConversion(conversion.conversion) && !(t.kind === 'bytes' && t.show === 'buf')) {
        complete = false;
        c.report(E.TypeMismatch, `'${conversion.spec}' prints a buf() value, but this is ${typeName(t)}`, args[i].span, 'write buf(x, length) for the bytes to print');
      }
    });
    if (!complete) return;
    const bytes = layoutStruct(types as Type[]).size;
    if (bytes > MAX_PRINTF_ARGUMENT_BYTES) {
      c.report(E.BadArgument, `the arguments of this printf() take ${bytes} bytes; at most ${MAX_PRINTF_ARGUMENT_BYTES} fit in one event`, c.call.span, 'split it into several printf() calls');
    }
  },
  emit({ call, f, exprs, next, probeText, emitRecord, storeValue }) {
    const [format, ...args] = call.args;
    // Every argument is evaluated before anything is sent: a missing header skips the line.
    const values = args.map((a) => exprs.emit(a, next));
    const types = args.map((a) => exprs.typeOf(a));
    const layout = layoutStruct(types);
    const site = f.outputs.addPrintf((format as { value: string }).value, layout, probeText);
    emitRecord(RecordKind.printf, site.id, layout.size, (record) => {
      layout.fields.forEach((field, i) => storeValue(record, RECORD_HEADER_SIZE + field.offset, field.type, values[i], types[i]));
    });
  },
};

/**
 * The span of characters `offset .. offset + length` of a string literal's value. Exact
 * when the literal has no escapes before that point, which is the common case.
 */
function insideString(literal: Span, offset: number, length: number): Span {
  const at = (n: number) => ({ offset: literal.start.offset + 1 + n, line: literal.start.line, column: literal.start.column + 1 + n });
  if (literal.start.line !== literal.end.line) return literal;
  const start = at(offset);
  const end = at(Math.min(offset + length, literal.end.offset - literal.start.offset - 2));
  return { start, end: end.offset > start.offset ? end : at(offset + 1) };
}
