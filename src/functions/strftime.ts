// strftime(fmt, nsecs): nsecs (the monotonic clock, as nsecs gives it) that prints as
// wall-clock time with a strftime(3) format, as bpftrace's strftime(): in printf's %s,
// print() and as a map key. The program carries only the nanoseconds; user space formats
// them (src/format/strftime.ts), with bpftrace's %f for microseconds.
import { E } from '../diagnostics/catalogue.js';
import { argCount } from '../aggregations/args.js';
import { typeName } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

export const strftimeFunction: ValueFunction = {
  name: 'strftime',
  signature: 'strftime(fmt, nsecs)',
  doc: 'nsecs (of the nsecs clock) as wall-clock time in a strftime(3) format, plus %f for microseconds; prints with %s',
  check(c) {
    if (!argCount(c, 2, this.signature)) return undefined;
    const [format, nsecs] = c.call.args;
    if (format.kind !== 'Str') return c.report(E.BadArgument, 'the format of strftime() must be a string literal', format.span, 'for example: strftime("%H:%M:%S", nsecs)');
    const t = c.argTypes[1];
    if (!t) return undefined;
    if (t.kind !== 'int') return c.report(E.TypeMismatch, `strftime() needs nanoseconds (an integer), not ${typeName(t)}`, nsecs.span);
    return { kind: 'int', bits: 64, signed: false, show: 'strftime', timeFormat: { format: format.value } };
  },
  emit: ({ args: [, nsecs] }) => nsecs,
};
