// Maps as text, the way bpftrace prints them: one line per key, sorted by value ascending
// so the biggest entries end up next to the prompt; hist() and lhist() entries as their
// bucket bars, one histogram per key.
import { aggregation } from '../aggregations/registry.js';
import type { MapDescription } from '../model/compiled-program.js';
import type { DecodedValue } from '../model/decode-value.js';
import type { MapEntry, MapReading } from '../model/map-reading.js';
import { formatValue } from './values.js';

export interface MapTextOptions {
  /** Only the `top` biggest entries (print(@m, top)); still printed smallest first. */
  top?: number;
}

/** Aggregations whose empty keyless map bpftrace prints as `@x: 0`. */
const ZERO_WHEN_EMPTY = new Set(['count', 'sum', 'min', 'max', 'avg']);

export function formatMapText(reading: MapReading, options: MapTextOptions = {}): string {
  const { map } = reading;
  // A keyless map that was cleared or never written prints its zero, as bpftrace does: the
  // `interval { print(@n); clear(@n) }` rate loop shows its quiet seconds.
  if (reading.entries.length === 0 && map.key.fields.length === 0) {
    const zero = map.value.kind === 'agg' ? ZERO_WHEN_EMPTY.has(map.value.agg) : map.valueLayout?.fields[0]?.type.kind === 'int';
    if (zero) return `${map.displayName}: 0`;
  }
  // Each key's text is made once, for sorting and printing alike.
  const keyed = sortedKeyed(reading, options.top);
  if (map.value.kind === 'agg') {
    const agg = aggregation(map.value.agg);
    const value = map.value;
    const texts = keyed.map(({ entry, key }) => `${map.displayName}${key}${agg.text(aggregateOf(entry), value)}`);
    // Multi-line entries (histograms) get a blank line between them, as in bpftrace.
    const multiLine = texts.some((t) => t.includes('\n'));
    return texts.join(multiLine ? '\n\n' : '\n');
  }
  return keyed.map(({ entry, key }) => `${map.displayName}${key}: ${scalarText(map, entry)}`).join('\n');
}

/**
 * Entries in print order: by value, smallest first (numbers, and histograms by their
 * total), ties and non-numeric values by key; with `top`, only the last `top` of them.
 */
export function sortedEntries(reading: MapReading, top?: number): MapEntry[] {
  return sortedKeyed(reading, top).map((k) => k.entry);
}

/** Entries in print order beside their key text (`[k1, k2]`, '' for a keyless map). */
export function sortedKeyed(reading: MapReading, top?: number): { entry: MapEntry; key: string }[] {
  const numeric = reading.map.value.kind === 'agg' || reading.map.valueLayout?.fields[0].type.kind === 'int';
  // The value is copied beside the key: entries come in several shapes (stats, buckets,
  // scalar), and reading it through them made the sort of a big map slow.
  const keyed = reading.entries.map((entry) => ({ entry, key: keyText(reading, entry.keyValues), value: entry.value }));
  keyed.sort((a, b) => {
    if (numeric && a.value !== b.value) return a.value < b.value ? -1 : 1;
    return compareKeys(a.key, b.key);
  });
  return top !== undefined && top > 0 ? keyed.slice(Math.max(0, keyed.length - top)) : keyed;
}

export function keyText(reading: Pick<MapReading, 'map'>, keyValues: DecodedValue[]): string {
  const types = reading.map.key.fields.map((f) => f.type);
  if (types.length === 0) return '';
  return `[${keyValues.map((v, i) => formatValue(types[i], v, 'key')).join(', ')}]`;
}

/** A plain map's value as text, as it prints after `@m[k]: `. */
function scalarText(map: MapDescription, entry: MapEntry): string {
  return entry.scalar === undefined ? entry.value.toString() : formatValue(map.valueLayout!.fields[0].type, entry.scalar);
}

function aggregateOf(e: MapEntry) {
  return { value: e.value, stats: e.stats, buckets: e.buckets };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
