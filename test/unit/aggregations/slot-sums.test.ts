// Summing a slot's words over the CPUs, fast paths included: plain numbers below 2^53,
// bigints above, zeros without allocation, slots that are not 4-byte aligned.
import { describe, expect, it } from 'vitest';
import { sumWord, sumWords, wordOf } from '../../../src/aggregations/slot.js';
import { histAggregation } from '../../../src/aggregations/hist.js';

function slot(words: bigint[], misalign = 0): Buffer {
  const backing = Buffer.alloc(words.length * 8 + misalign);
  const s = backing.subarray(misalign);
  words.forEach((w, i) => s.writeBigUInt64LE(w, i * 8));
  return s;
}

const big = (1n << 60n) + 12345n;
const belowSafe = (1n << 53n) - 1n;

describe('sumWord and sumWords', () => {
  const cpus = [slot([0n, 1n, belowSafe, big, 0n]), slot([0n, 2n, belowSafe, big, 7n]), slot([0n, 0n, 1n, 0n, 0n], 1)];
  const expected = [0n, 3n, 2n * belowSafe + 1n, 2n * big, 7n];

  it('agree with adding the words as bigints, across the 2^53 boundary and misaligned slots', () => {
    expect(sumWords(cpus, 5)).toEqual(expected);
    expect(expected.map((_, i) => sumWord(cpus, i))).toEqual(expected);
    expect(expected.map((_, i) => cpus.reduce((t, s) => t + wordOf(s, i), 0n))).toEqual(expected);
  });

  it('signed words sum as signed', () => {
    expect(sumWord([slot([-5n & ((1n << 64n) - 1n)]), slot([3n])], 0, true)).toBe(-2n);
  });
});

describe('hist merge', () => {
  it('counts every bucket, shares the empty ones, and totals them', () => {
    const words = Array.from({ length: 67 }, () => 0n);
    words[1] = 4n; // [0]
    words[12] = 2n; // [1K, 2K)
    const other = [...words];
    other[12] = 5n;
    const a = histAggregation.merge([slot(words), slot(other)], { kind: 'agg', agg: 'hist', argType: { kind: 'int', bits: 64, signed: false } as never });
    const b = histAggregation.merge([slot(words)], { kind: 'agg', agg: 'hist', argType: { kind: 'int', bits: 64, signed: false } as never });
    expect(a.value).toBe(15n);
    expect(a.buckets![1]).toMatchObject({ label: '[0]', count: 8n });
    expect(a.buckets![12]).toMatchObject({ lo: 1024n, hi: 2048n, label: '[1K, 2K)', count: 7n });
    expect(a.buckets!.filter((x) => x.count === 0n)).toHaveLength(64);
    // The same empty bucket object in every key, and it cannot be changed by accident.
    expect(a.buckets![30]).toBe(b.buckets![30]);
    expect(Object.isFrozen(a.buckets![30])).toBe(true);
  });
});
