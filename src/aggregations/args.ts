// Argument checks the aggregations share.
import { literalValue } from '../model/literal-value.js';
import { E } from '../diagnostics/catalogue.js';
import type { IntType, Type } from '../model/types.js';
import { typeName, u64 } from '../model/types.js';
import type { ArgCheck } from './aggregation.js';

/** True when the call has exactly `n` arguments; reports it otherwise. */
export function argCount(c: ArgCheck, n: number, signature: string): boolean {
  if (c.call.args.length === n) return true;
  const what = n === 0 ? 'no arguments' : n === 1 ? 'one argument' : `${n} arguments`;
  c.report(E.WrongArgCount, `${c.call.callee}() takes ${what}: ${signature}`, c.call.span);
  return false;
}

/** The type of a numeric argument (booleans count as 0 and 1), or undefined. */
export function numericArg(c: ArgCheck, i: number): IntType | undefined {
  const t: Type | undefined = c.argTypes[i];
  if (!t) return undefined;
  if (t.kind === 'bool') return u64;
  if (t.kind === 'int') return t;
  return c.report(E.TypeMismatch, `${c.call.callee}() needs a number, not ${typeName(t)}`, c.call.args[i].span);
}

/** An integer constant argument such as lhist's bounds. */
export function constantArg(c: ArgCheck, i: number, what: string): bigint | undefined {
  const v = literalValue(c.call.args[i]);
  if (v === undefined) return c.report(E.BadArgument, `${what} of ${c.call.callee}() must be an integer constant`, c.call.args[i].span);
  return v;
}
