// Reads how many updates the kernel refused per map because the map was full (see
// src/codegen/map-full.ts): the `full` internal map, a one-entry array whose value holds
// a u64 counter per map at 8 × the map's index, which the programs add to atomically.
import type { MapDescription } from '../model/compiled-program.js';
import { REFUSAL_COUNTER_BYTES, refusalCountersSize } from '../model/refusal-counters.js';
import * as native from '../native/bpf.js';

export interface RefusedUpdates {
  map: MapDescription;
  refused: bigint;
}

/** The maps with refused updates, and how many; empty when no map ever filled up. */
export function readRefusedUpdates(maps: readonly MapDescription[], fullMapFd: number): RefusedUpdates[] {
  const value = native.mapLookup(fullMapFd, Buffer.alloc(4), refusalCountersSize(maps.length));
  if (!value) return [];
  const out: RefusedUpdates[] = [];
  for (const map of maps) {
    const refused = value.readBigUInt64LE(map.index * REFUSAL_COUNTER_BYTES);
    if (refused > 0n) out.push({ map, refused });
  }
  return out;
}
