// zero(@x) of a keyless aggregation kept in a one-entry per-CPU array: its value goes back
// to zero on every CPU and the map keeps its entry (prints `@x: 0`), as a hash's key is
// kept; a map never written stays without one.
import type { MapDescription } from '../model/compiled-program.js';
import { writtenEntries, zeroedWrittenValue } from '../model/keyless-array.js';
import * as native from '../native/bpf.js';
import { BPF_UPDATE } from '../model/uapi.js';

export function zeroKeylessArray(map: MapDescription, fd: number): void {
  const cpus = native.numPossibleCpus();
  const raw = native.mapLookupBatch(fd, map.key.size, map.valueSize, { perCpu: true, maxEntries: 1 });
  if (writtenEntries(map, raw, cpus).count === 0) return;
  native.mapUpdate(fd, Buffer.alloc(4), zeroedWrittenValue(map, cpus), BPF_UPDATE.EXIST);
}
