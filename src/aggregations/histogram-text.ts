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
  return shown.map((b) => `${b.label.padEnd(LABEL_WIDTH)}${b.count.toString().padStart(COUNT_WIDTH)}${BARS[barLength(b.count, max)]}`);
}

/** Leading and trailing empty buckets say nothing; the empty ones between show gaps. */
export function trimEmptyEnds(buckets: HistBucket[]): HistBucket[] {
  const first = buckets.findIndex((b) => b.count > 0n);
  if (first === -1) return [];
  let last = buckets.length - 1;
  while (buckets[last].count === 0n) last--;
  return buckets.slice(first, last + 1);
}

/** bpftrace computes `count / (float)max * 52` in single precision and truncates. */
function barLength(count: bigint, max: bigint): number {
  if (max === 0n) return 0;
  const share = Math.fround(Math.fround(Number(count)) / Math.fround(Number(max)));
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
