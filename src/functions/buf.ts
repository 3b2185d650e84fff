// buf(x, n): n raw bytes, printed by printf's %r as text with \xNN escapes for bytes
// that are not printable, and by %rx as \xNN each, as bpftrace's buf(). x is a string or
// byte array (its first n bytes) or a kernel pointer (n bytes read there; a pointer the
// kernel refuses reads as zeros). n is a constant: the bytes travel in the event record.
import { E } from '../diagnostics/catalogue.js';
import { argCount, constantArg } from '../aggregations/args.js';
import { literalValue } from '../model/literal-value.js';
import { BPF_FUNC } from '../model/uapi.js';
import { typeName, type BytesType } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

/** The most bytes one buf() holds: a printf record's arguments are at most 256 bytes. */
const MAX_BUF_BYTES = 200;

export const bufFunction: ValueFunction = {
  name: 'buf',
  signature: 'buf(x, n)',
  doc: `n bytes (1..${MAX_BUF_BYTES}) of a string, an array or what a kernel pointer points at, for printf's %r and %rx`,
  check(c) {
    if (!argCount(c, 2, this.signature)) return undefined;
    const t = c.argTypes[0];
    const n = constantArg(c, 1, 'the length');
    if (!t || n === undefined) return undefined;
    if (n < 1n || n > BigInt(MAX_BUF_BYTES)) return c.report(E.BadArgument, `the length of buf() must be between 1 and ${MAX_BUF_BYTES}, not ${n}`, c.call.args[1].span, 'the bytes travel in one event record');
    if (t.kind === 'bool') return c.report(E.TypeMismatch, `buf() needs a pointer, a string or bytes, not ${typeName(t)}`, c.call.args[0].span);
    if ((t.kind === 'str' || t.kind === 'bytes') && t.size < Number(n)) {
      return c.report(E.BadArgument, `buf() of ${typeName(t)} can take at most ${t.size} bytes, not ${n}`, c.call.args[1].span);
    }
    return { kind: 'bytes', size: Number(n), show: 'buf' } satisfies BytesType;
  },
  emit({ f, args: [x], argTypes: [t], call }) {
    const { m } = f;
    const size = Number(literalValue(call.args[1]));
    const buffer = f.zeroedBuffer(size, 'buf');
    if (t.kind === 'int') {
      m.callHelper(BPF_FUNC.probe_read_kernel, m.i64, [m.i8p, m.i32, m.i8p], [buffer, m.intConst(m.i32, size), m.b.CreateIntToPtr(x, m.i8p)]);
    } else f.copyBytes(buffer, 0, x, size);
    return buffer;
  },
};
