// Maps as text, the way bpftrace prints them: one line per key, sorted by value
// ascending so the biggest entries end up next to the prompt.
import type { MapReading } from '../runtime/read-maps.js';
import { formatValue } from './values.js';

export function formatMapText(reading: MapReading): string {
  const { map, entries } = reading;
  const sorted = [...entries].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : compareKeys(a.keyText, b.keyText)));
  const lines = sorted.map((e) => `${map.displayName}${e.keyText}: ${e.value}`);
  return lines.join('\n');
}

export function keyText(reading: Pick<MapReading, 'map'>, keyValues: (bigint | boolean | Buffer | string)[]): string {
  const types = reading.map.key.fields.map((f) => f.type);
  if (types.length === 0) return '';
  return `[${keyValues.map((v, i) => formatValue(types[i], v)).join(', ')}]`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
