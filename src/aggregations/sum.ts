// sum(x): the total of x, per key. Signed when x is.
import type { Aggregation } from './aggregation.js';
import { argCount, numericArg } from './args.js';
import { addToWord, sumWord } from './slot.js';

export const sumAggregation: Aggregation = {
  name: 'sum',
  signature: 'sum(x)',
  doc: 'the total of x (signed when x is)',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const argType = numericArg(c, 0);
    return argType && { kind: 'agg', agg: 'sum', argType };
  },
  slotSize: () => 8,
  emitUpdate(f, slot, arg) {
    addToWord(f, slot, 0, arg!);
  },
  merge: (slots, v) => ({ value: sumWord(slots, 0, isSigned(v.argType)) }),
  text: (r) => `: ${r.value}`,
  json: (r) => r.value,
  replView: 'bars',
};

export function isSigned(t: { kind: string; signed?: boolean } | undefined): boolean {
  return t?.kind === 'int' && t.signed === true;
}
