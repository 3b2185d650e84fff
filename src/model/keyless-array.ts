// A keyless aggregation (`@ = sum(x)`, `@c = count()`, `@h = hist(x)`) lives in a per-CPU
// array of one entry, as hand-written C keeps it: the verifier inlines an array lookup,
// where a per-CPU hash costs the kernel's hash lookup on every event (issue 12: 43 ns
// against C's 9 ns above an empty program). An array entry always exists, so the value
// ends with a "written" word the program sets on each update: a map never written, or
// emptied by clear() (which zeroes arrays), reads as having no entry, as the hash did.
import type { MapDescription } from './compiled-program.js';
import type { RawMapEntries } from './map-reading.js';
import type { StructLayout } from './layout.js';
import { BPF_MAP_TYPE } from './uapi.js';

/** An array's key: the index, a u32 (always 0 here). */
const ARRAY_KEY: StructLayout = { fields: [], size: 4 };
const WRITTEN_WORD_BYTES = 8;

/** The map's shape for an aggregation with no keys whose slot is `slot` bytes. */
export function keylessArrayShape(slot: number): Pick<MapDescription, 'bpfType' | 'perCpu' | 'key' | 'valueSize' | 'maxEntries'> {
  return { bpfType: BPF_MAP_TYPE.PERCPU_ARRAY, perCpu: true, key: ARRAY_KEY, valueSize: slot + WRITTEN_WORD_BYTES, maxEntries: 1 };
}

/** Whether the map is a keyless aggregation kept in a one-entry per-CPU array. */
export function isKeylessArray(map: MapDescription): boolean {
  return map.bpfType === BPF_MAP_TYPE.PERCPU_ARRAY;
}

/** Where in one CPU's slot the "written" word is (after the aggregation's own words). */
export function writtenWordOffset(map: MapDescription): number {
  return map.valueSize - WRITTEN_WORD_BYTES;
}

/**
 * A batch lookup of a keyless array as a hash would have answered it: its one entry only
 * if some CPU wrote it since it was created or cleared, else no entry at all.
 */
export function writtenEntries(map: MapDescription, raw: RawMapEntries, cpus: number): RawMapEntries {
  if (raw.count === 0) return raw;
  return anyCpuWrote(map, raw.values, cpus) ? { ...raw, count: 1 } : { keys: raw.keys.subarray(0, 0), values: raw.values.subarray(0, 0), count: 0 };
}

/** zero(@x): all zeroes, with CPU 0's "written" word set, so the map still has its entry. */
export function zeroedWrittenValue(map: MapDescription, cpus: number): Buffer {
  const value = Buffer.alloc(slotBytes(map) * cpus);
  value.writeBigUInt64LE(1n, writtenWordOffset(map));
  return value;
}

function anyCpuWrote(map: MapDescription, values: Buffer, cpus: number): boolean {
  const slot = slotBytes(map);
  const at = writtenWordOffset(map);
  for (let cpu = 0; cpu < cpus; cpu++) if (values.readBigUInt64LE(cpu * slot + at) !== 0n) return true;
  return false;
}

/** Per-CPU values come out one slot per CPU, each rounded up to 8 bytes. */
function slotBytes(map: MapDescription): number {
  return Math.ceil(map.valueSize / 8) * 8;
}
