// Maps as text, the way bpftrace prints them: one line per key, sorted by value ascending
// so the biggest entries end up next to the prompt; hist() and lhist() entries as their
// bucket bars, one histogram per key.
import { aggregation } from '../aggregations/registry.js';
import type { MapEntry, MapReading } from '../runtime/read-maps.js';
import { scalarText } from '../runtime/read-maps.js';
import { formatValue, type DecodedValue } from './values.js';

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
    const texts = entries.map((e) => `${map.displayName}${e.keyText}${agg.text(aggregateOf(e), value)}`);
    // Multi-line entries (histograms) get a blank line between them, as in bpftrace.
    const multiLine = texts.some((t) => t.includes('\n'));
    return texts.join(multiLine ? '\n\n' : '\n');
  }
  return entries.map((e) => `${map.displayName}${e.keyText}: ${scalarText(map, e)}`).join('\n');
}

/**
 * Entries in print order: by value, smallest first (numbers, and histograms by their
 * total), ties and non-numeric values by key; with `top`, only the last `top` of them.
 */
export function sortedEntries(reading: MapReading, top?: number): MapEntry[] {
  const numeric = reading.map.value.kind === 'agg' || reading.map.valueLayout?.fields[0].type.kind === 'int';
  const sorted = [...reading.entries].sort((a, b) => {
    if (numeric && a.value !== b.value) return a.value < b.value ? -1 : 1;
    return compareKeys(a.keyText, b.keyText);
  });
  return top !== undefined && top > 0 ? sorted.slice(Math.max(0, sorted.length - top)) : sorted;
}

export function keyText(reading: Pick<MapReading, 'map'>, keyValues: DecodedValue[]): string {
  const types = reading.map.key.fields.map((f) => f.type);
  if (types.length === 0) return '';
  return `[${keyValues.map((v, i) => formatValue(types[i], v)).join(', ')}]`;
}

function aggregateOf(e: MapEntry) {
  return { value: e.value, stats: e.stats, buckets: e.buckets };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
