// Maps as read back from the kernel: one entry per key, holding decoded values only
// (how they print is src/format's job), and the pure decoding of a batch lookup's bytes
// into them. The kernel read itself is src/runtime/read-maps.ts.
import type { AggValue } from './checked.js';
import type { MapDescription } from './compiled-program.js';
import { decodeValue, type DecodedValue } from './decode-value.js';

/** One bucket of hist() or lhist(); `lo` inclusive, `hi` exclusive, absent when open-ended. */
export interface HistBucket {
  lo?: bigint;
  hi?: bigint;
  count: bigint;
  /** As bpftrace labels it: `[0]`, `[2, 4)`, `[1K, 2K)`, `(..., 0)`, `[100, ...)`. */
  label: string;
}

/** avg() and stats(); min and max only where the aggregation keeps them and saw a value. */
export interface StatsValue {
  count: bigint;
  sum: bigint;
  min?: bigint;
  max?: bigint;
}

export interface AggregateResult {
  /** What the entry sorts by; for count/sum/min/max/avg also what it prints. */
  value: bigint;
  stats?: StatsValue;
  /** Every bucket, empty ones included (printing trims the empty ends). */
  buckets?: HistBucket[];
}

export interface MapEntry {
  keyValues: DecodedValue[];
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
  /**
   * The batch lookup the entries come from (readings from the kernel have it): printing a
   * big map at exit formats straight from these bytes (src/format/batch-text.ts) and never
   * asks for `entries`, which batchReading() decodes only when first read.
   */
  batch?: MapBatch;
}

/** A batch lookup's bytes and the number of CPU slots in each per-CPU value. */
export interface MapBatch extends RawMapEntries {
  cpus: number;
}

/** A batch lookup's answer: `count` keys and values, each laid end to end. */
export interface RawMapEntries {
  keys: Buffer;
  values: Buffer;
  count: number;
}

/**
 * Folds an aggregation's per-CPU slots into one result: each aggregation's own merge
 * (src/aggregations/), passed in because the records sit above this floor.
 */
export type MergeSlots = (slots: Buffer[], value: AggValue) => AggregateResult;

/**
 * A reading over a batch lookup whose entries are decoded when first asked for, once:
 * the end-of-run text print reads the batch itself, the REPL, JSON and --serve the
 * entries.
 */
export function batchReading(map: MapDescription, raw: RawMapEntries, cpus: number, merge: MergeSlots): MapReading {
  let entries: MapEntry[] | undefined;
  return {
    map,
    batch: { keys: raw.keys, values: raw.values, count: raw.count, cpus },
    get entries() {
      return (entries ??= decodeMapEntries(map, raw, cpus, merge));
    },
  };
}

/** How many keys a reading has, without decoding a batch reading's entries. */
export function entryCount(reading: MapReading): number {
  return reading.batch ? reading.batch.count : reading.entries.length;
}

/**
 * The entries of a batch lookup. A per-CPU map's value holds one slot per possible CPU,
 * each rounded up to 8 bytes, as the kernel copies them out.
 */
export function decodeMapEntries(map: MapDescription, raw: RawMapEntries, cpus: number, merge: MergeSlots): MapEntry[] {
  const slotSize = roundUp8(map.valueSize);
  const stride = map.perCpu ? slotSize * cpus : map.valueSize;
  const entries: MapEntry[] = [];
  for (let i = 0; i < raw.count; i++) {
    const key = raw.keys.subarray(i * map.key.size, (i + 1) * map.key.size);
    const keyValues = map.key.fields.map((f) => decodeValue(f.type, key, f.offset));
    const value = raw.values.subarray(i * stride, (i + 1) * stride);
    entries.push({ keyValues, ...decodeEntryValue(map, value, map.perCpu ? cpus : 1, slotSize, merge) });
  }
  return entries;
}

/** An entry's value fields from its raw bytes (all CPUs' slots for per-CPU maps). */
function decodeEntryValue(map: MapDescription, raw: Buffer, cpus: number, slotSize: number, merge: MergeSlots): Omit<MapEntry, 'keyValues'> {
  if (map.value.kind === 'agg') {
    const slots = Array.from({ length: cpus }, (_, cpu) => raw.subarray(cpu * slotSize, cpu * slotSize + map.valueSize));
    const result = merge(slots, map.value);
    return { value: result.value, ...(result.stats && { stats: result.stats }), ...(result.buckets && { buckets: result.buckets }) };
  }
  const field = map.valueLayout!.fields[0];
  const scalar = decodeValue(field.type, raw, field.offset);
  return { value: typeof scalar === 'bigint' ? scalar : typeof scalar === 'boolean' ? BigInt(scalar) : 0n, scalar };
}

function roundUp8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
