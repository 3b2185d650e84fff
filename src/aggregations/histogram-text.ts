// hist() and lhist() as bpftrace prints them: from the first to the last non-empty bucket,
// a 16-column left-aligned label, an 8-column right-aligned count, and a bar of up to 52
// '@' between pipes, its length the count's share of the largest count.
import type { HistBucket } from '../model/map-reading.js';

const LABEL_WIDTH = 16;
const COUNT_WIDTH = 8;
const BAR_WIDTH = 52;

/** ` |@@@   ...|` for every bar length: a big map prints millions of bars, made once here. */
const BARS = Array.from({ length: BAR_WIDTH + 1 }, (_, n) => ` |${'@'.repeat(n).padEnd(BAR_WIDTH)}|`);

export function histogramLines(buckets: HistBucket[]): string[] {
  const shown = trimEmptyEnds(buckets);
  const max = shown.reduce((m, b) => (b.count > m ? b.count : m), 0n);
  return shown.map((b) => `${b.label.padEnd(LABEL_WIDTH)}${b.count.toString().padStart(COUNT_WIDTH)}${BARS[barLength(Number(b.count), Number(max))]}`);
}

/**
 * The lines histogramLines makes, written as UTF-8 bytes from plain counts: printing a
 * big map at exit writes each key's buckets straight into one buffer (src/format/
 * batch-text.ts), with every label, bar and small count encoded once.
 */
export class HistogramLineWriter {
  private readonly labels: Buffer[];
  /** Bytes of the longest line, its newline included. */
  readonly maxLineBytes: number;

  constructor(labels: readonly string[]) {
    this.labels = labels.map((l) => Buffer.from(l.padEnd(LABEL_WIDTH)));
    this.maxLineBytes = Math.max(...this.labels.map((l) => l.length)) + 20 + BAR_BYTES[0].length + 1;
  }

  /**
   * Writes the lines of `counts` (exact integers, one per label), from the first to the
   * last non-empty bucket, each ending in a newline; returns the offset after them.
   */
  write(counts: Float64Array, out: Buffer, offset: number): number {
    let first = -1;
    let last = -1;
    let max = 0;
    for (let i = 0; i < this.labels.length; i++) {
      const count = counts[i];
      if (count === 0) continue;
      if (first === -1) first = i;
      last = i;
      if (count > max) max = count;
    }
    let at = offset;
    for (let i = first; i <= last && first !== -1; i++) {
      const count = counts[i];
      const label = this.labels[i];
      out.set(label, at);
      at += label.length;
      const countBytes = count < COUNT_BYTES.length ? COUNT_BYTES[count] : Buffer.from(String(count).padStart(COUNT_WIDTH));
      out.set(countBytes, at);
      at += countBytes.length;
      const bar = BAR_BYTES[barLength(count, max)];
      out.set(bar, at);
      at += bar.length;
      out[at++] = 0x0a;
    }
    return at;
  }
}

/** Small counts padded to their column: most buckets of a big map hold few. */
const COUNT_BYTES = Array.from({ length: 1024 }, (_, n) => Buffer.from(String(n).padStart(COUNT_WIDTH)));
const BAR_BYTES = BARS.map((bar) => Buffer.from(bar));

/** Leading and trailing empty buckets say nothing; the empty ones between show gaps. */
export function trimEmptyEnds(buckets: HistBucket[]): HistBucket[] {
  const first = buckets.findIndex((b) => b.count > 0n);
  if (first === -1) return [];
  let last = buckets.length - 1;
  while (buckets[last].count === 0n) last--;
  return buckets.slice(first, last + 1);
}

/** bpftrace computes `count / (float)max * 52` in single precision and truncates. */
function barLength(count: number, max: number): number {
  if (max === 0) return 0;
  const share = Math.fround(Math.fround(count) / Math.fround(max));
  return Math.trunc(Math.fround(share * BAR_WIDTH));
}

const POWER_SUFFIXES = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/** 2^power as hist() labels it: 1, 2, ..., 512, 1K, 2K, ..., 1M ... */
export function powerLabel(power: number): string {
  const group = Math.floor(power / 10);
  return `${1n << BigInt(power - group * 10)}${POWER_SUFFIXES[group]}`;
}

/** A bound of lhist(): 0, a multiple of 1M as `nM`, of 1K as `nK`, else the number. */
export function linearLabel(n: bigint): string {
  const kilo = 1024n;
  const mega = 1024n * 1024n;
  if (n === 0n) return '0';
  if (n % mega === 0n) return `${n / mega}M`;
  if (n % kilo === 0n) return `${n / kilo}K`;
  return n.toString();
}
