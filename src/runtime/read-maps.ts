// Reads maps out of the kernel: aggregations merge their per-CPU slots (each
// aggregation's own merge), plain maps decode their one value.
import type { AggregateResult, HistBucket, StatsValue } from '../aggregations/aggregation.js';
import { aggregation } from '../aggregations/registry.js';
import type { MapDescription } from '../codegen/described.js';
import { keyText } from '../format/maps-text.js';
import { decodeValue, formatValue, type DecodedValue } from '../format/values.js';
import * as native from './native.js';

export interface MapEntry {
  keyValues: DecodedValue[];
  keyText: string;
  /**
   * The number the entry sorts by: the count, sum, min, max or average; a histogram's
   * total count; a plain map's integer value (0 for values that are not numbers).
   */
  value: bigint;
  /** A plain map's value as decoded. */
  scalar?: DecodedValue;
  /** avg() and stats(). */
  stats?: StatsValue;
  /** hist() and lhist(): every bucket, empty ones included. */
  buckets?: HistBucket[];
}

export interface MapReading {
  map: MapDescription;
  entries: MapEntry[];
}

export function readMap(map: MapDescription, fd: number): MapReading {
  const { keys, values, count } = native.mapLookupBatch(fd, map.key.size, map.valueSize, { perCpu: map.perCpu, maxEntries: map.maxEntries });
  const cpus = map.perCpu ? native.numPossibleCpus() : 1;
  const slotSize = roundUp8(map.valueSize);
  const stride = map.perCpu ? slotSize * cpus : map.valueSize;
  const entries: MapEntry[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys.subarray(i * map.key.size, (i + 1) * map.key.size);
    const keyValues = map.key.fields.map((f) => decodeValue(f.type, key, f.offset));
    const value = values.subarray(i * stride, (i + 1) * stride);
    entries.push({ keyValues, keyText: keyText({ map }, keyValues), ...decodeEntryValue(map, value, cpus, slotSize) });
  }
  return { map, entries };
}

/** An entry's value fields from its raw bytes (all CPUs' slots for per-CPU maps). */
export function decodeEntryValue(map: MapDescription, raw: Buffer, cpus: number, slotSize: number): Omit<MapEntry, 'keyValues' | 'keyText'> {
  if (map.value.kind === 'agg') {
    const slots = Array.from({ length: cpus }, (_, cpu) => raw.subarray(cpu * slotSize, cpu * slotSize + map.valueSize));
    const result: AggregateResult = aggregation(map.value.agg).merge(slots, map.value);
    return { value: result.value, ...(result.stats && { stats: result.stats }), ...(result.buckets && { buckets: result.buckets }) };
  }
  const field = map.valueLayout!.fields[0];
  const scalar = decodeValue(field.type, raw, field.offset);
  return { value: typeof scalar === 'bigint' ? scalar : typeof scalar === 'boolean' ? BigInt(scalar) : 0n, scalar };
}

/** A plain map's value as text, as it prints after `@m[k]: `. */
export function scalarText(map: MapDescription, entry: MapEntry): string {
  return entry.scalar === undefined ? entry.value.toString() : formatValue(map.valueLayout!.fields[0].type, entry.scalar);
}

function roundUp8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
