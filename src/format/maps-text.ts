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

export function formatMapText(reading: MapReading, options: MapTextOptions = {}): string {
  const { map } = reading;
  const entries = sortedEntries(reading, options.top);
  if (map.value.kind === 'agg') {
    const agg = aggregation(map.value.agg);
    const value = map.value;
    const texts = entries.map((e) => `${map.displayName}${keyText(reading, e.keyValues)}${agg.text(aggregateOf(e), value)}`);
    // Multi-line entries (histograms) get a blank line between them, as in bpftrace.
    const multiLine = texts.some((t) => t.includes('\n'));
    return texts.join(multiLine ? '\n\n' : '\n');
  }
  return entries.map((e) => `${map.displayName}${keyText(reading, e.keyValues)}: ${scalarText(map, e)}`).join('\n');
}

/**
 * Entries in print order: by value, smallest first (numbers, and histograms by their
 * total), ties and non-numeric values by key; with `top`, only the last `top` of them.
 */
export function sortedEntries(reading: MapReading, top?: number): MapEntry[] {
  const numeric = reading.map.value.kind === 'agg' || reading.map.valueLayout?.fields[0].type.kind === 'int';
  const keyed = reading.entries.map((entry) => ({ entry, key: keyText(reading, entry.keyValues) }));
  keyed.sort((a, b) => {
    if (numeric && a.entry.value !== b.entry.value) return a.entry.value < b.entry.value ? -1 : 1;
    return compareKeys(a.key, b.key);
  });
  const sorted = keyed.map((k) => k.entry);
  return top !== undefined && top > 0 ? sorted.slice(Math.max(0, sorted.length - top)) : sorted;
}

export function keyText(reading: Pick<MapReading, 'map'>, keyValues: DecodedValue[]): string {
  const types = reading.map.key.fields.map((f) => f.type);
  if (types.length === 0) return '';
  return `[${keyValues.map((v, i) => formatValue(types[i], v)).join(', ')}]`;
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
