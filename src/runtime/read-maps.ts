// Reads maps out of the kernel: one batch lookup per map, decoded by the model
// (src/model/map-reading.ts), aggregations merging their per-CPU slots with their own
// merge.
import { aggregation } from '../aggregations/registry.js';
import type { MapDescription } from '../model/compiled-program.js';
import { batchReading, type MapReading, type MergeSlots } from '../model/map-reading.js';
import * as native from '../native/bpf.js';
import { isKeylessArray, writtenEntries } from '../model/keyless-array.js';

const mergeSlots: MergeSlots = (slots, value) => aggregation(value.agg).merge(slots, value);

export function readMap(map: MapDescription, fd: number): MapReading {
  const raw = native.mapLookupBatch(fd, map.key.size, map.valueSize, { perCpu: map.perCpu, maxEntries: map.maxEntries });
  const cpus = map.perCpu ? native.numPossibleCpus() : 1;
  // A keyless array's one entry counts only once written, as a hash's key would.
  return batchReading(map, isKeylessArray(map) ? writtenEntries(map, raw, cpus) : raw, cpus, mergeSlots);
}
