// Reads how many updates the kernel refused per map because the map was full (see
// src/codegen/map-full.ts): the `full` internal map, a per-CPU array of u64 counters
// indexed by the map's index, summed over the CPUs.
import type { MapDescription } from '../model/compiled-program.js';
import * as native from '../native/bpf.js';

export interface RefusedUpdates {
  map: MapDescription;
  refused: bigint;
}

/** The maps with refused updates, and how many; empty when no map ever filled up. */
export function readRefusedUpdates(maps: readonly MapDescription[], fullMapFd: number): RefusedUpdates[] {
  const cpus = native.numPossibleCpus();
  const key = Buffer.alloc(4);
  const out: RefusedUpdates[] = [];
  for (const map of maps) {
    key.writeUInt32LE(map.index);
    const value = native.mapLookup(fullMapFd, key, cpus * 8);
    if (!value) continue;
    let refused = 0n;
    for (let cpu = 0; cpu < cpus; cpu++) refused += value.readBigUInt64LE(cpu * 8);
    if (refused > 0n) out.push({ map, refused });
  }
  return out;
}
