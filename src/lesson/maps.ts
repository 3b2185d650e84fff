// The maps a lesson's script printed (`-f json`, docs/output.md), looked up by key and
// shown as text the way nettrace prints them.
export type JsonValue = number | string | boolean;
export interface JsonBucket {
  min: number | null;
  max: number | null;
  count: number;
}
export interface JsonMap {
  name: string;
  aggregation: string | null;
  entries: { key: JsonValue[]; value: JsonValue | JsonBucket[] | Record<string, number | null> }[];
}

export class LessonMaps {
  constructor(readonly maps: JsonMap[]) {}

  /** The value of `@name[key...]` as a number, 0 when the key is absent (as the kernel would read it). */
  value(name: string, ...key: JsonValue[]): number {
    const entry = this.entry(name, key);
    return entry === undefined ? 0 : Number(entry.value);
  }

  /** The sum of every entry of a map whose key matches the given elements (undefined: any). */
  total(name: string, ...key: (JsonValue | undefined)[]): number {
    const map = this.maps.find((m) => m.name === name);
    if (!map) return 0;
    return map.entries
      .filter((e) => key.every((k, i) => k === undefined || String(e.key[i]) === String(k)))
      .reduce((sum, e) => sum + (Array.isArray(e.value) ? e.value.reduce((s, b) => s + b.count, 0) : Number(e.value)), 0);
  }

  /** The buckets of a histogram entry. */
  buckets(name: string, ...key: JsonValue[]): JsonBucket[] {
    const entry = this.entry(name, key);
    return entry && Array.isArray(entry.value) ? entry.value : [];
  }

  private entry(name: string, key: JsonValue[]) {
    return this.maps.find((m) => m.name === name)?.entries.find((e) => e.key.length === key.length && e.key.every((k, i) => String(k) === String(key[i])));
  }
}

/** `@name[k1, k2]` as nettrace writes a key. */
export function mapLine(name: string, key: JsonValue[]): string {
  return key.length === 0 ? name : `${name}[${key.join(', ')}]`;
}

/**
 * The maps as text, keeping only entries `keep` accepts: tracepoints see the whole
 * machine, and a lesson shows the lines its own traffic made (and says so).
 */
export function mapsText(maps: JsonMap[], keep: (map: string, key: JsonValue[]) => boolean): string {
  const blocks: string[] = [];
  for (const map of maps) {
    const lines: string[] = [];
    for (const e of map.entries) {
      if (!keep(map.name, e.key)) continue;
      if (Array.isArray(e.value)) {
        lines.push(`${mapLine(map.name, e.key)}:`);
        for (const b of e.value) lines.push(`  [${b.min ?? '...'}, ${b.max ?? '...'})`.padEnd(24) + String(b.count).padStart(8));
      } else if (typeof e.value === 'object') {
        lines.push(`${mapLine(map.name, e.key)}: ${Object.entries(e.value).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      } else {
        lines.push(`${mapLine(map.name, e.key)}: ${e.value}`);
      }
    }
    if (lines.length > 0) blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}
