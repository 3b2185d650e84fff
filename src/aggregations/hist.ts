// hist(x): power-of-two buckets, as bpftrace draws them. Bucket 0 holds negative values
// (signed x only), bucket 1 holds 0, bucket k >= 2 holds [2^(k-2), 2^(k-1)). One more
// word after the buckets keeps the total of x: a Prometheus histogram (src/serve/) has a
// `_sum`, which the buckets alone cannot give.
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import { histogramLines, powerLabel, trimEmptyEnds } from './histogram-text.js';
import type { HistBucket } from '../model/map-reading.js';
import type { Aggregation } from './aggregation.js';
import { argCount, numericArg } from './args.js';
import { addToWord, sumWord, sumWords } from './slot.js';
import { isSigned } from './sum.js';

/** Negative, zero, and one bucket per power of two up to 2^63. */
const HIST_BUCKETS = 2 + 64;
/** The word after the buckets: the sum of every x. */
const SUM_WORD = HIST_BUCKETS;

export const histAggregation: Aggregation = {
  name: 'hist',
  signature: 'hist(x)',
  doc: 'a power-of-two histogram',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const argType = numericArg(c, 0);
    return argType && { kind: 'agg', agg: 'hist', argType };
  },
  slotSize: () => (HIST_BUCKETS + 1) * 8,
  emitUpdate(f, slot, arg, v) {
    const index = bucketIndex(f, arg!, isSigned(v.argType));
    f.withBoundedIndex(index, HIST_BUCKETS - 1, (i) => addToWord(f, slot, i, f.m.i64Const(1)));
    addToWord(f, slot, SUM_WORD, arg!);
  },
  merge(slots, v) {
    // A 63,000-key map has four million buckets, nearly all empty: the empty ones are
    // shared objects, the others share their bounds and labels (BUCKET_RANGES).
    const buckets: HistBucket[] = new Array(HIST_BUCKETS);
    const counts = sumWords(slots, HIST_BUCKETS);
    let total = 0n;
    for (let i = 0; i < HIST_BUCKETS; i++) {
      const count = counts[i];
      if (count === 0n) {
        buckets[i] = EMPTY_BUCKETS[i];
      } else {
        total += count;
        buckets[i] = { ...BUCKET_RANGES[i], count };
      }
    }
    return { value: total, buckets, stats: { count: total, sum: sumWord(slots, SUM_WORD, isSigned(v.argType)) } };
  },
  bucketLabels: () => BUCKET_LABELS,
  text: (r) => `:\n${histogramLines(r.buckets!).join('\n')}`,
  json: (r) => bucketsJson(r.buckets!),
  replView: 'histogram',
};

const BUCKET_RANGES = Array.from({ length: HIST_BUCKETS }, (_, i) => bucketRange(i));
const BUCKET_LABELS: readonly string[] = BUCKET_RANGES.map((range) => range.label);
/** Frozen: every key's empty bucket i is this one object. */
const EMPTY_BUCKETS: HistBucket[] = BUCKET_RANGES.map((range) => Object.freeze({ ...range, count: 0n }));

function bucketRange(i: number): Omit<HistBucket, 'count'> {
  if (i === 0) return { hi: 0n, label: '(..., 0)' };
  if (i === 1) return { lo: 0n, hi: 1n, label: '[0]' };
  if (i === 2) return { lo: 1n, hi: 2n, label: '[1]' };
  return { lo: 1n << BigInt(i - 2), hi: 1n << BigInt(i - 1), label: `[${powerLabel(i - 2)}, ${powerLabel(i - 1)})` };
}

/** The bucket of x: branch-free floor(log2(x)) by halving the search range five times. */
function bucketIndex(f: FunctionContext, x: LLVM.Value, signed: boolean): LLVM.Value {
  const { m } = f;
  const { b } = m;
  let v = x;
  let log2 = m.i64Const(0);
  for (const shift of [32, 16, 8, 4, 2, 1]) {
    const above = b.CreateICmpUGE(v, m.i64Const(1n << BigInt(shift)));
    const step = b.CreateSelect(above, m.i64Const(shift), m.i64Const(0));
    v = b.CreateLShr(v, step);
    log2 = b.CreateOr(log2, step);
  }
  const zero = b.CreateICmpEQ(x, m.i64Const(0));
  let index = b.CreateSelect(zero, m.i64Const(1), b.CreateAdd(log2, m.i64Const(2)));
  if (signed) index = b.CreateSelect(b.CreateICmpSLT(x, m.i64Const(0)), m.i64Const(0), index);
  return index;
}

/** `-f json`: the non-empty range of buckets, bounds as numbers (null when open). */
export function bucketsJson(buckets: HistBucket[]): unknown {
  return trimEmptyEnds(buckets).map((bucket) => ({ min: bucket.lo ?? null, max: bucket.hi ?? null, count: bucket.count }));
}
