// Reads maps out of the kernel and merges per-CPU values into one number per key.
import type { MapDescription } from '../codegen/described.js';
import { decodeValue } from '../format/values.js';
import { keyText } from '../format/maps-text.js';
import * as native from './native.js';

export interface MapEntry {
  keyValues: (bigint | boolean | Buffer | string)[];
  keyText: string;
  value: bigint;
}

export interface MapReading {
  map: MapDescription;
  entries: MapEntry[];
}

export function readMap(map: MapDescription, fd: number): MapReading {
  const { keys, values, count } = native.mapLookupBatch(fd, map.key.size, map.valueSize, { perCpu: map.perCpu, maxEntries: map.maxEntries });
  const cpus = map.perCpu ? native.numPossibleCpus() : 1;
  const stride = map.perCpu ? roundUp8(map.valueSize) * cpus : map.valueSize;
  const entries: MapEntry[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys.subarray(i * map.key.size, (i + 1) * map.key.size);
    const keyValues = map.key.fields.map((f) => decodeValue(f.type, key, f.offset));
    const value = mergeCounters(values.subarray(i * stride, (i + 1) * stride), cpus, roundUp8(map.valueSize));
    entries.push({ keyValues, keyText: keyText({ map }, keyValues), value });
  }
  return { map, entries };
}

/** count() and sum() keep one u64 per CPU: the total is their sum. */
function mergeCounters(perCpu: Buffer, cpus: number, slotSize: number): bigint {
  let total = 0n;
  for (let cpu = 0; cpu < cpus; cpu++) total += perCpu.readBigUInt64LE(cpu * slotSize);
  return total;
}

function roundUp8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
