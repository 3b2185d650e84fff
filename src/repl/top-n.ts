// The biggest entries of a map, without sorting all of it when only a screenful shows.
import type { MapEntry } from './labelled-reading.js';

/** Biggest value first; equal values in key order, so rows do not jump between redraws. */
export function compareEntries(a: MapEntry, b: MapEntry): number {
  if (a.value !== b.value) return a.value > b.value ? -1 : 1;
  return a.keyText < b.keyText ? -1 : a.keyText > b.keyText ? 1 : 0;
}

/** The first `n` of `items` in `compare` order. O(len * log n) for small n, a sort otherwise. */
export function topN<T>(items: readonly T[], n: number, compare: (a: T, b: T) => number): T[] {
  if (n <= 0) return [];
  if (n * 8 >= items.length) return [...items].sort(compare).slice(0, n);
  const best: T[] = [];
  for (const item of items) {
    if (best.length === n && compare(item, best[n - 1]!) >= 0) continue;
    // Binary search for the insertion point in the sorted `best`.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(item, best[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, item);
    if (best.length > n) best.pop();
  }
  return best;
}
