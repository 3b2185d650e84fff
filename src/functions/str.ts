// str(x) and str(x, n): a string, as bpftrace's str(). x is
// - a kernel or user char pointer (an integer: a tracepoint's `const char *` field, a
//   cast pointer, argN): the NUL-terminated string there, read into 64 bytes as
//   bpftrace's default BPFTRACE_STRLEN. The kernel read is tried first; an address it
//   refuses (a user pointer: syscall arguments) is read as a user address.
// - a string already (a `char x[N]` or `__data_loc char[]` tracepoint field, comm): itself.
//   bpftrace writes str(args->name) for a __data_loc field, which is a number there; in
//   nettrace the field is already the string, so str() keeps such programs unchanged.
// With n, at most n characters are kept (the value is n + 1 bytes with its NUL), as
// bpftrace 0.17 prints str(args->name, 4) of "ntfabcdr" as "ntfa".
import { E } from '../diagnostics/catalogue.js';
import { constantArg } from '../aggregations/args.js';
import { BPF_FUNC } from '../model/uapi.js';
import { literalValue } from '../model/literal-value.js';
import { str, typeName, type Type } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

/** bpftrace's default string size (BPFTRACE_STRLEN), NUL included. */
export const DEFAULT_STRLEN = 64;
/** The longest n of str(x, n): the string lives on the 512-byte BPF stack. */
const MAX_STRLEN = 200;

export const strFunction: ValueFunction = {
  name: 'str',
  signature: 'str(x [, n])',
  doc: 'the NUL-terminated string at char pointer x (64 bytes at most), or string x itself; with n, at most n characters',
  check(c) {
    const { args } = c.call;
    if (args.length < 1 || args.length > 2) return c.report(E.WrongArgCount, `str() takes one or two arguments: ${this.signature}`, c.call.span);
    const t = c.argTypes[0];
    if (!t) return undefined;
    if (t.kind !== 'int' && t.kind !== 'str') {
      return c.report(E.TypeMismatch, `str() needs a char pointer or a string, not ${typeName(t)}`, args[0].span);
    }
    if (args.length === 2) {
      const n = constantArg(c, 1, 'the length');
      if (n === undefined) return undefined;
      if (n < 0n || n > BigInt(MAX_STRLEN)) {
        return c.report(E.BadArgument, `the length of str() must be between 0 and ${MAX_STRLEN}, not ${n}`, args[1].span, 'the string is kept on the 512-byte BPF stack');
      }
      return str(strSize(t, Number(n)));
    }
    return str(strSize(t, undefined));
  },
  emit({ f, args: [x], argTypes: [t], call }) {
    const { m } = f;
    const size = strSize(t, call.args.length === 2 ? Number(literalValue(call.args[1])) : undefined);
    if (t.kind === 'str' && size === t.size) return x;
    const buffer = f.zeroedBuffer(size, 'str');
    const read = (helper: number, source: typeof x) => m.callHelper(helper, m.i64, [m.i8p, m.i32, m.i8p], [buffer, m.intConst(m.i32, size), source]);
    if (t.kind === 'str') {
      // A shorter copy of a string on the stack: the helper stops at n characters and ends it with NUL.
      read(BPF_FUNC.probe_read_kernel_str, x);
      return buffer;
    }
    const address = m.b.CreateIntToPtr(x, m.i8p);
    const status = read(BPF_FUNC.probe_read_kernel_str, address);
    const asUser = f.newBlock('str_user');
    const done = f.newBlock('str_done');
    m.b.CreateCondBr(m.b.CreateICmpSLT(status, m.i64Const(0)), asUser, done);
    m.b.SetInsertPoint(asUser);
    read(BPF_FUNC.probe_read_user_str, address);
    m.b.CreateBr(done);
    m.b.SetInsertPoint(done);
    return buffer;
  },
};

/** Bytes of str(x) or str(x, n), NUL included: n characters at most, never more than x has. */
function strSize(t: Type, n: number | undefined): number {
  const whole = t.kind === 'str' ? t.size : DEFAULT_STRLEN;
  if (n === undefined) return whole;
  return t.kind === 'str' ? Math.min(whole, n + 1) : n + 1;
}
