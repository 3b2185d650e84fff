// stats(x): count, average and total, printed as bpftrace does; min and max are kept too
// (the REPL and JSON show them). A slot is [count, sum, min, max].
import type { Aggregation } from './aggregation.js';
import { argCount, numericArg } from './args.js';
import { average } from './avg.js';
import { compare } from './extremes.js';
import { addToWord, keepIf, loadWord, sumWord, wordOf } from './slot.js';
import { isSigned } from './sum.js';

export const statsAggregation: Aggregation = {
  name: 'stats',
  signature: 'stats(x)',
  doc: 'count, total, min and max',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const argType = numericArg(c, 0);
    return argType && { kind: 'agg', agg: 'stats', argType };
  },
  slotSize: () => 32,
  emitUpdate(f, slot, arg, v) {
    const empty = f.m.b.CreateICmpEQ(loadWord(f, slot, 0), f.m.i64Const(0));
    keepIf(f, slot, 2, arg!, empty, (x, old) => compare(f, 'min', v, x, old));
    keepIf(f, slot, 3, arg!, empty, (x, old) => compare(f, 'max', v, x, old));
    addToWord(f, slot, 0, f.m.i64Const(1));
    addToWord(f, slot, 1, arg!);
  },
  merge(slots, v) {
    const signed = isSigned(v.argType);
    const count = sumWord(slots, 0);
    const sum = sumWord(slots, 1, signed);
    let min: bigint | undefined;
    let max: bigint | undefined;
    for (const s of slots) {
      if (wordOf(s, 0) === 0n) continue;
      const lo = wordOf(s, 2, signed);
      const hi = wordOf(s, 3, signed);
      if (min === undefined || lo < min) min = lo;
      if (max === undefined || hi > max) max = hi;
    }
    return { value: average(sum, count), stats: { count, sum, min, max } };
  },
  text: (r) => `: count ${r.stats!.count}, average ${r.value}, total ${r.stats!.sum}`,
  json: (r) => ({ count: r.stats!.count, average: r.value, total: r.stats!.sum, min: r.stats!.min ?? null, max: r.stats!.max ?? null }),
  replView: 'stats',
};
