// sizeof(x): the bytes a value of x's type takes, as bpftrace's sizeof(expr): 8 for a
// number, 16 for comm, 4 for an IPv4 field, the field's own size for a tracepoint
// field. A constant of the program (x is still evaluated, and its value unused). (bpftrace's
// sizeof(TYPE) form, with a C type name, is not here: nettrace's parser reads type
// names only in casts.)
import { argCount } from '../aggregations/args.js';
import { sizeOf, u64 } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

export const sizeofFunction: ValueFunction = {
  name: 'sizeof',
  signature: 'sizeof(x)',
  doc: 'bytes a value of x\'s type takes (8 for a number, 16 for comm)',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    return c.argTypes[0] ? u64 : undefined;
  },
  emit: ({ f, argTypes: [t] }) => f.m.i64Const(sizeOf(t)),
};
