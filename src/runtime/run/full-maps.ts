// NT0507: a map filled up and the kernel refused updates (counted per map, see
// runtime/map-full.ts). Reported as soon as a map fills, while the program runs, and
// again at the end with how many updates were dropped in all. Never silent.
import { E } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RefusedUpdates } from '../map-full.js';

/** At the end: every map that filled up, with the updates it refused. */
export function fullMapDiagnostics(refused: readonly RefusedUpdates[]): Diagnostic[] {
  return refused.map(({ map, refused: n }) =>
    fullMap(`${map.displayName} was full (${map.maxEntries} entries): ${n} update${n === 1n ? ' was' : 's were'} dropped`, map.maxEntries, n),
  );
}

/**
 * Polls `read` every `intervalMs` and calls `onFull` with the maps that began refusing
 * updates since the last poll, each map once. Returns the function that stops polling.
 */
export function watchFullMaps(read: () => RefusedUpdates[], onFull: (diagnostics: Diagnostic[]) => void, intervalMs: number): () => void {
  const reported = new Set<string>();
  const timer = setInterval(() => {
    const fresh = read().filter((r) => !reported.has(r.map.displayName));
    if (fresh.length === 0) return;
    for (const r of fresh) reported.add(r.map.displayName);
    onFull(fresh.map(({ map }) => fullMap(`${map.displayName} is full (${map.maxEntries} entries): updates that need a new key are dropped`, map.maxEntries)));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The suggested limit holds what the map had and what it refused: each dropped update
 * could have been a new key, so entries + dropped is enough (rounded up to a power of
 * two, at least 4x). While running the drops are not counted yet: 4x.
 */
function fullMap(message: string, maxEntries: number, refused = 0n): Diagnostic {
  const needed = Math.max(1024, maxEntries * 4, Number(BigInt(maxEntries) + refused));
  const suggested = 2 ** Math.ceil(Math.log2(needed));
  return { code: E.MapFull.code, severity: 'warning', message, hints: [`raise the limit of every map: --map-entries ${suggested}`] };
}
