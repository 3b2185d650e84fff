// avg(x): the integer average (truncated, as bpftrace prints it). A slot is [count, sum].
import type { Aggregation } from './aggregation.js';
import { argCount, numericArg } from './args.js';
import { addToWord, sumWord } from './slot.js';
import { isSigned } from './sum.js';

export const avgAggregation: Aggregation = {
  name: 'avg',
  signature: 'avg(x)',
  doc: 'count and total; prints the average, truncated',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const argType = numericArg(c, 0);
    return argType && { kind: 'agg', agg: 'avg', argType };
  },
  slotSize: () => 16,
  emitUpdate(f, slot, arg) {
    addToWord(f, slot, 0, f.m.i64Const(1));
    addToWord(f, slot, 1, arg!);
  },
  merge(slots, v) {
    const count = sumWord(slots, 0);
    const sum = sumWord(slots, 1, isSigned(v.argType));
    return { value: average(sum, count), stats: { count, sum } };
  },
  text: (r) => `: ${r.value}`,
  json: (r) => r.value,
  replView: 'stats',
};

/** Truncating division, 0 for no values: what bpftrace prints. */
export function average(sum: bigint, count: bigint): bigint {
  return count === 0n ? 0n : sum / count;
}
