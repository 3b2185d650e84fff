// lhist(x, lo, hi, step): linear buckets of width step from lo to hi, plus one below lo
// and one at or above hi, as bpftrace draws them. The word after the buckets keeps the
// total of x, for the `_sum` of a Prometheus histogram (src/serve/).
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import { E } from '../diagnostics/catalogue.js';
import { histogramLines, linearLabel } from './histogram-text.js';
import type { AggValue } from '../model/checked.js';
import type { HistBucket } from '../model/map-reading.js';
import type { Aggregation } from './aggregation.js';
import { argCount, constantArg, numericArg } from './args.js';
import { bucketsJson } from './hist.js';
import { addToWord, sumWord } from './slot.js';
import { isSigned } from './sum.js';

/** Per-CPU values are at most 32 KB; 1000 buckets keeps even many keys cheap. */
const LHIST_MAX_BUCKETS = 1000;

export const lhistAggregation: Aggregation = {
  name: 'lhist',
  signature: 'lhist(x, lo, hi, step)',
  doc: 'a linear histogram: buckets of `step` from `lo` to `hi`, one below `lo`, one at or above `hi`',
  check(c) {
    if (!argCount(c, 4, this.signature)) return undefined;
    const argType = numericArg(c, 0);
    const lo = constantArg(c, 1, 'the lower bound');
    const hi = constantArg(c, 2, 'the upper bound');
    const step = constantArg(c, 3, 'the step');
    if (!argType || lo === undefined || hi === undefined || step === undefined) return undefined;
    const [, , hiArg, stepArg] = c.call.args;
    if (step <= 0n) return c.report(E.BadArgument, `the step of lhist() must be positive, not ${step}`, stepArg.span);
    if (hi <= lo) return c.report(E.BadArgument, `the upper bound of lhist() (${hi}) must be above the lower bound (${lo})`, hiArg.span);
    if ((hi - lo) % step !== 0n) {
      return c.report(E.BadArgument, `lhist() needs hi - lo (${hi - lo}) to be a multiple of the step (${step})`, stepArg.span, `for example: lhist(x, ${lo}, ${lo + ((hi - lo) / step + 1n) * step}, ${step})`);
    }
    if ((hi - lo) / step > BigInt(LHIST_MAX_BUCKETS)) {
      return c.report(E.BadArgument, `lhist() would have ${(hi - lo) / step} buckets; at most ${LHIST_MAX_BUCKETS}`, stepArg.span, 'use a larger step, or hist()');
    }
    return { kind: 'agg', agg: 'lhist', argType, params: [lo, hi, step] };
  },
  slotSize: (v) => (bucketCount(v) + 3) * 8,
  emitUpdate(f, slot, arg, v) {
    const index = bucketIndex(f, arg!, v);
    f.withBoundedIndex(index, bucketCount(v) + 1, (i) => addToWord(f, slot, i, f.m.i64Const(1)));
    addToWord(f, slot, bucketCount(v) + 2, arg!);
  },
  merge(slots, v) {
    const [lo, , step] = v.params!;
    const n = bucketCount(v);
    const labels = bucketLabels(v);
    const buckets: HistBucket[] = [];
    let total = 0n;
    for (let i = 0; i < n + 2; i++) {
      const count = sumWord(slots, i);
      total += count;
      const label = labels[i];
      if (i === 0) buckets.push({ hi: lo, count, label });
      else if (i === n + 1) buckets.push({ lo: lo + BigInt(n) * step, count, label });
      else {
        const from = lo + BigInt(i - 1) * step;
        buckets.push({ lo: from, hi: from + step, count, label });
      }
    }
    return { value: total, buckets, stats: { count: total, sum: sumWord(slots, n + 2, isSigned(v.argType)) } };
  },
  bucketLabels: (v) => bucketLabels(v),
  text: (r) => `:\n${histogramLines(r.buckets!).join('\n')}`,
  json: (r) => bucketsJson(r.buckets!),
  replView: 'histogram',
};

/** Labels of one lhist() shape, made once: every key of a map shares them. */
const labelsByShape = new Map<string, readonly string[]>();

/** Below lo, each step from lo, at or above hi: `(..., 0)`, `[0, 10)`, ..., `[100, ...)`. */
function bucketLabels(v: AggValue): readonly string[] {
  const [lo, , step] = v.params!;
  const shape = v.params!.join(',');
  let labels = labelsByShape.get(shape);
  if (!labels) {
    const n = bucketCount(v);
    labels = Array.from({ length: n + 2 }, (_, i) => {
      if (i === 0) return `(..., ${linearLabel(lo)})`;
      if (i === n + 1) return `[${linearLabel(lo + BigInt(n) * step)}, ...)`;
      const from = lo + BigInt(i - 1) * step;
      return `[${linearLabel(from)}, ${linearLabel(from + step)})`;
    });
    labelsByShape.set(shape, labels);
  }
  return labels;
}

function bucketCount(v: AggValue): number {
  const [lo, hi, step] = v.params!;
  return Number((hi - lo) / step);
}

function bucketIndex(f: FunctionContext, x: LLVM.Value, v: AggValue): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const [lo, hi, step] = v.params!;
  // Signed comparisons when x can be negative or the range reaches below zero.
  const signed = isSigned(v.argType) || lo < 0n;
  const below = signed ? b.CreateICmpSLT(x, m.i64Const(lo)) : b.CreateICmpULT(x, m.i64Const(lo));
  const above = signed ? b.CreateICmpSGE(x, m.i64Const(hi)) : b.CreateICmpUGE(x, m.i64Const(hi));
  // Inside the range x - lo is non-negative, so unsigned division is right.
  const inside = b.CreateAdd(b.CreateUDiv(b.CreateSub(x, m.i64Const(lo)), m.i64Const(step)), m.i64Const(1));
  const n = bucketCount(v);
  return b.CreateSelect(below, m.i64Const(0), b.CreateSelect(above, m.i64Const(n + 1), inside));
}
