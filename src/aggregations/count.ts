// count(): how many times the statement ran, per key.
import type { Aggregation } from './aggregation.js';
import { argCount } from './args.js';
import { addToWord, sumWord } from './slot.js';

export const countAggregation: Aggregation = {
  name: 'count',
  signature: 'count()',
  doc: 'how many times the statement ran',
  check(c) {
    return argCount(c, 0, this.signature) ? { kind: 'agg', agg: 'count' } : undefined;
  },
  slotSize: () => 8,
  emitUpdate(f, slot) {
    addToWord(f, slot, 0, f.m.i64Const(1));
  },
  merge: (slots) => ({ value: sumWord(slots, 0) }),
  text: (r) => `: ${r.value}`,
  json: (r) => r.value,
  replView: 'bars',
};
