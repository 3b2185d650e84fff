// `-f json`: one JSON object per line (docs/output.md has the schema, and a test checks
// real output against it). Integers are written as JSON numbers with every digit, even
// past 2^53; values that print as names (addresses, protocols, strings) are strings.
import { aggregation } from '../aggregations/registry.js';
import type { Type } from '../model/types.js';
import type { DecodedValue } from '../model/decode-value.js';
import type { MapReading } from '../model/map-reading.js';
import { sortedEntries } from './maps-text.js';
import { formatValue } from './values.js';

/** A map print: at exit, on print(@m), and for `print(@m, top)` with `top`. */
export function mapJson(reading: MapReading, top?: number): object {
  const { map } = reading;
  const entries = sortedEntries(reading, top);
  const keyTypes = map.key.fields.map((f) => f.type);
  const key = (values: DecodedValue[]) => values.map((v, i) => jsonValue(keyTypes[i], v));
  if (map.value.kind === 'agg') {
    const agg = aggregation(map.value.agg);
    const value = map.value;
    return {
      type: 'map',
      name: map.displayName,
      aggregation: map.value.agg,
      entries: entries.map((e) => ({ key: key(e.keyValues), value: agg.json({ value: e.value, stats: e.stats, buckets: e.buckets }, value) })),
    };
  }
  const valueType = map.valueLayout!.fields[0].type;
  return {
    type: 'map',
    name: map.displayName,
    aggregation: null,
    entries: entries.map((e) => ({ key: key(e.keyValues), value: jsonValue(valueType, e.scalar ?? e.value) })),
  };
}

/** A value as JSON: plain integers and booleans as themselves, anything with a name as text. */
export function jsonValue(t: Type, v: DecodedValue): unknown {
  if (t.kind === 'int' && t.show === undefined && typeof v === 'bigint') return v;
  if (t.kind === 'bool') return v === true;
  return formatValue(t, v);
}

/** JSON text with bigints as plain numbers. */
export function jsonLine(value: unknown): string {
  const marked = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${BIGINT_MARK}${v}` : v));
  return marked.replace(BIGINT_QUOTED, '$1');
}

/** Bigints travel through JSON.stringify as marked strings, then lose their quotes. */
const BIGINT_MARK = '\u{10FFFF}bigint:';
const BIGINT_QUOTED = /"\u{10FFFF}bigint:(-?\d+)"/gu;
