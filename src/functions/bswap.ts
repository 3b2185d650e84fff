// bswap(x): x with its bytes in the opposite order, as bpftrace's bswap. The width is
// x's own (cast first to choose it: `bswap((u16)x)`), so a 16-bit port read as a plain
// integer in network order comes out in host order; a u8 comes back unchanged.
import { E } from '../diagnostics/catalogue.js';
import { argCount } from '../aggregations/args.js';
import { type IntType, typeName } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

export const bswapFunction: ValueFunction = {
  name: 'bswap',
  signature: 'bswap(x)',
  doc: 'x with its bytes reversed, as an unsigned integer of the same width (u8 unchanged)',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const t = c.argTypes[0];
    if (!t) return undefined;
    if (t.kind !== 'int') return c.report(E.TypeMismatch, `bswap() needs an integer, not ${typeName(t)}`, c.call.args[0].span);
    return { kind: 'int', bits: t.bits, signed: false };
  },
  emit({ f, args: [x], argTypes: [t] }) {
    const { m } = f;
    const { bits } = t as IntType;
    const narrow = m.b.CreateTrunc(x, m.intType(bits));
    const swapped = bits === 8 ? narrow : m.bswap(narrow, bits);
    return m.b.CreateZExt(swapped, m.i64);
  },
};
