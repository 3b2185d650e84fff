// At the end of a run: every map that filled up says so, with how many updates the kernel
// refused (NT0507). A full map loses keys; nettrace never lets that pass silently.
import { E } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import type { RefusedUpdates } from '../runtime/map-full.js';

export function fullMapDiagnostics(refused: readonly RefusedUpdates[]): Diagnostic[] {
  return refused.map(({ map, refused: n }) => ({
    code: E.MapFull.code,
    severity: 'warning',
    message: `${map.displayName} was full (${map.maxEntries} entries): ${n} update${n === 1n ? ' was' : 's were'} dropped`,
    hints: [`raise the limit of every map: --map-entries ${suggestedEntries(map.maxEntries)}`],
  }));
}

export function reportFullMaps(refused: readonly RefusedUpdates[], err: NodeJS.WritableStream): void {
  if (refused.length > 0) err.write(renderDiagnostics(fullMapDiagnostics(refused)) + '\n');
}

function suggestedEntries(current: number): number {
  return Math.max(1024, current * 4);
}
