// hist() and lhist() text, character for character as bpftrace draws it.
import { describe, expect, it } from 'vitest';
import type { AggValue } from '../../../src/model/checked.js';
import { histAggregation } from '../../../src/aggregations/hist.js';
import { lhistAggregation } from '../../../src/aggregations/lhist.js';
import { u64, s64 } from '../../../src/model/types.js';
import { histogramLines, linearLabel, powerLabel } from '../../../src/aggregations/histogram-text.js';

/** One CPU's slot with `counts` at the given word indexes (the buckets, then the sum). */
function slot(words: number, counts: Record<number, number>): Buffer {
  const b = Buffer.alloc(words * 8);
  for (const [i, n] of Object.entries(counts)) b.writeBigUInt64LE(BigInt(n), Number(i) * 8);
  return b;
}

const hist: AggValue = { kind: 'agg', agg: 'hist', argType: u64 };

describe('hist()', () => {
  it('merges CPUs and prints the non-empty range with bpftrace labels and bars', () => {
    // Buckets: 1 = [0], 2 = [1], 3 = [2, 4), 12 = [1K, 2K)
    const r = histAggregation.merge([slot(67, { 1: 1, 3: 2 }), slot(67, { 3: 2, 12: 3 })], hist);
    expect(r.value).toBe(8n);
    expect(histAggregation.text(r, hist)).toBe(
      [
        ':',
        '[0]                    1 |@@@@@@@@@@@@@                                       |',
        '[1]                    0 |                                                    |',
        '[2, 4)                 4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
        '[4, 8)                 0 |                                                    |',
        '[8, 16)                0 |                                                    |',
        '[16, 32)               0 |                                                    |',
        '[32, 64)               0 |                                                    |',
        '[64, 128)              0 |                                                    |',
        '[128, 256)             0 |                                                    |',
        '[256, 512)             0 |                                                    |',
        '[512, 1K)              0 |                                                    |',
        `[1K, 2K)               3 |${'@'.repeat(39)}${' '.repeat(13)}|`,
      ].join('\n'),
    );
  });

  it('labels negative values, and powers up to 2^64', () => {
    const r = histAggregation.merge([slot(67, { 0: 5, 65: 1 })], { ...hist, argType: s64 });
    const lines = histogramLines(r.buckets!);
    expect(lines[0]).toBe('(..., 0)               5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|');
    expect(lines.at(-1)).toBe('[8E, 16E)              1 |@@@@@@@@@@                                          |');
    expect(powerLabel(20)).toBe('1M');
    expect(powerLabel(33)).toBe('8G');
  });

  it('bars are truncated single-precision shares of 52, as in bpftrace', () => {
    // 1/3 * 52 = 17.33 -> 17; 2/3 * 52 = 34.67 -> 34
    const r = histAggregation.merge([slot(67, { 3: 1, 4: 2, 5: 3 })], hist);
    expect(histogramLines(r.buckets!).map((l) => l.split('|')[1].trimEnd().length)).toEqual([17, 34, 52]);
  });

  it('an empty histogram prints no lines', () => {
    expect(histogramLines(histAggregation.merge([slot(67, {})], hist).buckets!)).toEqual([]);
  });
});

describe('the sum kept after the buckets (for a Prometheus histogram\'s _sum)', () => {
  it('hist(): word 66 of every CPU, signed when x is', () => {
    const r = histAggregation.merge([slot(67, { 8: 2, 66: 300 }), slot(67, { 9: 1, 66: 250 })], hist);
    expect(r.stats).toEqual({ count: 3n, sum: 550n });
    const negative = slot(67, { 0: 1 });
    negative.writeBigInt64LE(-5n, 66 * 8);
    expect(histAggregation.merge([negative], { ...hist, argType: s64 }).stats).toEqual({ count: 1n, sum: -5n });
  });

  it('lhist(): the word after its n + 2 buckets; the slot grows by one word', () => {
    const lhist: AggValue = { kind: 'agg', agg: 'lhist', argType: u64, params: [0n, 2048n, 512n] };
    expect(lhistAggregation.slotSize(lhist)).toBe(7 * 8);
    expect(histAggregation.slotSize(hist)).toBe(67 * 8);
    expect(lhistAggregation.merge([slot(7, { 2: 2, 6: 1200 })], lhist).stats).toEqual({ count: 2n, sum: 1200n });
  });
});

describe('lhist()', () => {
  const lhist: AggValue = { kind: 'agg', agg: 'lhist', argType: u64, params: [0n, 2048n, 512n] };

  it('has a bucket below lo and one at or above hi', () => {
    // 4 buckets + 2: index 0 below, 1..4 inside, 5 at or above 2048
    const r = lhistAggregation.merge([slot(7, { 0: 1, 2: 4, 5: 2 })], lhist);
    expect(r.value).toBe(7n);
    expect(histogramLines(r.buckets!)).toEqual([
      '(..., 0)               1 |@@@@@@@@@@@@@                                       |',
      '[0, 512)               0 |                                                    |',
      '[512, 1K)              4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|',
      '[1K, 1536)             0 |                                                    |',
      '[1536, 2K)             0 |                                                    |',
      '[2K, ...)              2 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |',
    ]);
  });

  it('labels multiples of 1024 and 1048576 as K and M, others as numbers', () => {
    expect([0n, 100n, 1024n, 3072n, 1048576n, 2097152n, -1024n, 1500n].map(linearLabel)).toEqual(['0', '100', '1K', '3K', '1M', '2M', '-1K', '1500']);
  });
});
