// `--json-compat bpftrace`: the lines bpftrace 0.17 writes with `-f json`, byte for byte
// where the content is the same (docs/output.md, "bpftrace's JSON"). bpftrace writes its
// JSON by hand: `": "` and `", "` separators, map keys joined with "," into one string,
// histogram bounds inclusive, and nothing at all for an empty map.
import { trimEmptyEnds } from '../aggregations/histogram-text.js';
import type { DecodedValue } from '../model/decode-value.js';
import type { HistBucket, MapReading } from '../model/map-reading.js';
import type { Type } from '../model/types.js';
import { sortedKeyed } from './maps-text.js';
import { formatValue } from './values.js';

export function bpftraceAttachedJson(probes: number): string {
  return message('attached_probes', `{"probes": ${probes}}`);
}

export function bpftracePrintfJson(text: string): string {
  return message('printf', quote(text));
}

/** print(value) of a non-map value. */
export function bpftraceValueJson(type: Type, value: DecodedValue): string {
  return message('value', valueJson(type, value));
}

export function bpftraceLostJson(count: bigint): string {
  return message('lost_events', `{"events": ${count}}`);
}

/** A -k warning: a helper that failed, and where its call is in the program. */
export function bpftraceHelperErrorJson(helper: string, retcode: number, line: number, column: number): string {
  return `{"type": "helper_error", "helper": ${quote(helper)}, "retcode": ${retcode}, "line": ${line}, "col": ${column}}`;
}

/** A map's line, or undefined when bpftrace prints nothing for it (no entries). */
export function bpftraceMapJson(reading: MapReading, top?: number): string | undefined {
  const { map } = reading;
  const name = quote(map.displayName);
  const keyless = map.key.fields.length === 0;
  const agg = map.value.kind === 'agg' ? map.value : undefined;
  // As in text, a keyless count() keeps its zero.
  if (reading.entries.length === 0) return keyless && agg?.agg === 'count' ? message('map', `{${name}: 0}`) : undefined;
  const keyTypes = map.key.fields.map((f) => f.type);
  const kind = agg?.agg === 'hist' || agg?.agg === 'lhist' ? 'hist' : agg?.agg === 'avg' || agg?.agg === 'stats' ? 'stats' : 'map';
  const values = sortedKeyed(reading, top).map(({ entry }) => {
    let value: string;
    if (kind === 'hist') value = bucketsJson(entry.buckets!);
    else if (agg?.agg === 'stats') value = `{"count": ${entry.stats!.count}, "average": ${entry.value}, "total": ${entry.stats!.sum}}`;
    else if (agg) value = entry.value.toString();
    else value = valueJson(map.valueLayout!.fields[0].type, entry.scalar ?? entry.value);
    if (keyless) return value;
    return `${quote(entry.keyValues.map((v, i) => formatValue(keyTypes[i], v)).join(','))}: ${value}`;
  });
  const data = keyless ? values.join(', ') : `{${values.join(', ')}}`;
  return message(kind, `{${name}: ${data}}`);
}

function message(type: string, data: string): string {
  return `{"type": "${type}", "data": ${data}}`;
}

/** Plain integers as numbers (booleans as 1 and 0, as bpftrace has them); everything that prints as a name, quoted. */
function valueJson(type: Type, value: DecodedValue): string {
  if (type.kind === 'int' && type.show === undefined && typeof value === 'bigint') return value.toString();
  if (type.kind === 'bool') return value ? '1' : '0';
  return quote(formatValue(type, value));
}

/** Buckets from the first non-empty to the last, bounds inclusive, an open end left out. */
function bucketsJson(buckets: HistBucket[]): string {
  const shown = trimEmptyEnds(buckets).map((b) => {
    const min = b.lo === undefined ? '' : `"min": ${b.lo}, `;
    const max = b.hi === undefined ? '' : `"max": ${b.hi - 1n}, `;
    return `{${min}${max}"count": ${b.count}}`;
  });
  return `[${shown.join(', ')}]`;
}

/** A JSON string as bpftrace escapes it: `"`, `\`, \n, \r, \t and other control characters as \u00XX. */
function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code <= 0x1f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}
