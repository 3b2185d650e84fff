// Reads how many updates the kernel refused per map because the map was full (see
// src/codegen/map-full.ts): the `full` internal map, a one-entry array whose value holds
// a u64 counter per map at 8 × the map's index, which the programs add to atomically.
import type { MapDescription } from '../model/compiled-program.js';
import * as native from '../native/bpf.js';

export interface RefusedUpdates {
  map: MapDescription;
  refused: bigint;
}

const COUNTER_BYTES = 8;

/** The maps with refused updates, and how many; empty when no map ever filled up. */
export function readRefusedUpdates(maps: readonly MapDescription[], fullMapFd: number): RefusedUpdates[] {
  // The value's size as codegen/program-outputs.ts gives it: one counter per user map, at least one.
  const value = native.mapLookup(fullMapFd, Buffer.alloc(4), COUNTER_BYTES * Math.max(1, maps.length));
  if (!value) return [];
  const out: RefusedUpdates[] = [];
  for (const map of maps) {
    const refused = value.readBigUInt64LE(map.index * COUNTER_BYTES);
    if (refused > 0n) out.push({ map, refused });
  }
  return out;
}
