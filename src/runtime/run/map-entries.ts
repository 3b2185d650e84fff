// --map-entries N: how many keys every user map of a program can hold. The maps are
// created with it when the program starts; the full-map report (NT0507) reads it back.
import type { CompiledProgram } from '../../model/compiled-program.js';
import { isKeylessArray } from '../../model/keyless-array.js';

export function applyMapEntries(compiled: CompiledProgram, entries: number | undefined): void {
  // A keyless aggregation's one-entry array holds its one entry whatever the limit.
  if (entries !== undefined) for (const map of compiled.maps) if (!isKeylessArray(map)) map.maxEntries = entries;
}
