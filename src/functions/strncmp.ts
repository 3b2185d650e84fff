// strncmp(a, b, n): 0 when the strings a and b agree in their first n characters (or up
// to a NUL both have at the same place), 1 when they do not, as bpftrace's strncmp.
// Both are strings (a literal, a string field, str(), comm); n is a constant, so the
// comparison is n byte compares laid out straight, which the verifier follows at once.
import { E } from '../diagnostics/catalogue.js';
import { argCount, constantArg } from '../aggregations/args.js';
import { typeName, u64, type StrType } from '../model/types.js';
import { literalValue } from '../model/literal-value.js';
import type { ValueFunction } from './value-function.js';

/** Compares are unrolled: more than this would only grow the program. */
const MAX_N = 256;

export const strncmpFunction: ValueFunction = {
  name: 'strncmp',
  signature: 'strncmp(a, b, n)',
  doc: '0 when strings a and b agree in their first n characters, 1 when they differ',
  check(c) {
    if (!argCount(c, 3, this.signature)) return undefined;
    for (const i of [0, 1]) {
      const t = c.argTypes[i];
      if (!t) return undefined;
      if (t.kind !== 'str') return c.report(E.TypeMismatch, `strncmp() compares strings, not ${typeName(t)}`, c.call.args[i].span, 'a char pointer becomes a string with str(p)');
    }
    const n = constantArg(c, 2, 'the length');
    if (n === undefined) return undefined;
    if (n < 0n || n > BigInt(MAX_N)) return c.report(E.BadArgument, `the length of strncmp() must be between 0 and ${MAX_N}, not ${n}`, c.call.args[2].span);
    return u64;
  },
  emit({ f, args: [a, b], argTypes, call }) {
    const { m } = f;
    const { b: ir } = m;
    const n = Number(literalValue(call.args[2]));
    const [sa, sb] = argTypes.map((t) => (t as StrType).size);
    const byte = (s: typeof a, size: number, i: number) => (i < size ? ir.CreateZExt(f.loadInt(s, i, 8), m.i64) : m.i64Const(0));
    let differ = ir.getFalse() as typeof a;
    let ended = ir.getFalse() as typeof a;
    // Past both buffers every byte is 0 on both sides: nothing more can differ.
    for (let i = 0; i < Math.min(n, Math.max(sa, sb)); i++) {
      const x = byte(a, sa, i);
      const y = byte(b, sb, i);
      differ = ir.CreateOr(differ, ir.CreateAnd(ir.CreateNot(ended), ir.CreateICmpNE(x, y)));
      ended = ir.CreateOr(ended, ir.CreateICmpEQ(x, m.i64Const(0)));
    }
    return ir.CreateZExt(differ, m.i64);
  },
};
