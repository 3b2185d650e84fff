// A map reading as metric families (docs/output.md, "Prometheus metrics"): count() is a
// counter; sum() a counter when x cannot be negative, else a gauge; avg/min/max gauges;
// stats() a summary (_count, _sum) with _min and _max gauges; hist() and lhist() real
// histograms. Labels are named by metric-names.ts and valued as nettrace prints keys
// (addresses, protocol and enum names). A plain map of numbers is a gauge; a plain map
// of anything else (addresses, strings) is a gauge of 1 with the value as a `value` label.
import { isSigned } from '../aggregations/sum.js';
import { sortedEntries } from '../format/maps-text.js';
import { formatValue } from '../format/values.js';
import type { AggValue } from '../model/checked.js';
import type { MapDescription } from '../model/compiled-program.js';
import type { HistBucket, MapEntry, MapReading } from '../model/map-reading.js';
import type { MetricFamily, MetricType, Sample } from './metric-family.js';
import { labelNames, metricBaseName } from './metric-names.js';
import type { SeriesBudget } from './series-budget.js';

type Labels = Sample['labels'];

export function mapFamilies(reading: MapReading, budget: SeriesBudget): MetricFamily[] {
  const { map } = reading;
  const name = metricBaseName(map.displayName);
  const help = helpText(map);
  const names = labelNames(map);
  const types = map.key.fields.map((f) => f.type);
  // Biggest first, so a scrape over the series limit drops the smallest keys.
  const entries = sortedEntries(reading).reverse();
  const labelsOf = (e: MapEntry): Labels => e.keyValues.map((v, i) => [names[i], formatValue(types[i], v)]);
  const family = (type: MetricType, samplesOf: (e: MapEntry, labels: Labels) => Sample[], familyName = name, familyHelp = help): MetricFamily => ({
    name: familyName,
    type,
    help: familyHelp,
    samples: entries.flatMap((e) => {
      const samples = samplesOf(e, labelsOf(e));
      return budget.take(samples.length) ? samples : [];
    }),
  });
  const one = (suffix: string, value: (e: MapEntry) => bigint | undefined) => (e: MapEntry, labels: Labels): Sample[] => {
    const v = value(e);
    return v === undefined ? [] : [{ suffix, labels, value: v.toString() }];
  };

  if (map.value.kind === 'scalar') {
    const valueType = map.value.type;
    if (valueType.kind === 'int' && valueType.show === undefined) return [family('gauge', one('', (e) => e.value))];
    if (valueType.kind === 'bool') return [family('gauge', one('', (e) => e.value))];
    return [family('gauge', (e, labels) => [{ suffix: '', labels: [...labels, ['value', formatValue(valueType, e.scalar!)]], value: '1' }])];
  }
  const agg = map.value;
  switch (agg.agg) {
    case 'count':
      return [family('counter', one('_total', (e) => e.value))];
    case 'sum':
      return isSigned(agg.argType) ? [family('gauge', one('', (e) => e.value))] : [family('counter', one('_total', (e) => e.value))];
    case 'avg':
    case 'min':
    case 'max':
      return [family('gauge', one('', (e) => e.value))];
    case 'stats':
      return [
        family('summary', (e, labels) => [
          { suffix: '_count', labels, value: e.stats!.count.toString() },
          { suffix: '_sum', labels, value: e.stats!.sum.toString() },
        ]),
        family('gauge', one('', (e) => e.stats!.min), `${name}_min`, `the smallest value: ${help}`),
        family('gauge', one('', (e) => e.stats!.max), `${name}_max`, `the largest value: ${help}`),
      ];
    case 'hist':
    case 'lhist':
      return [family('histogram', (e, labels) => histogramSamples(e, labels, shownBuckets(agg, e.buckets!)))];
    default:
      // An aggregation this file does not know yet is served as the number it prints.
      return [family('gauge', one('', (e) => e.value))];
  }
}

/** HELP: the statement that first assigns the map, and its probes. */
export function helpText(map: MapDescription): string {
  if (map.origin) return `${map.origin.statement} (${map.origin.probes})`;
  return map.value.kind === 'agg' ? `${map.displayName} = ${map.value.agg}()` : map.displayName;
}

/**
 * Cumulative buckets, `le` being the largest integer a bucket holds (a nettrace bucket is
 * [lo, hi) over integers, so `le` is hi - 1), then +Inf, _sum and _count. Only the buckets
 * in `shown` get a line, but every bucket counts towards the ones above it.
 */
function histogramSamples(e: MapEntry, labels: Labels, shown: (i: number) => boolean): Sample[] {
  const samples: Sample[] = [];
  let cumulative = 0n;
  e.buckets!.forEach((bucket, i) => {
    cumulative += bucket.count;
    if (bucket.hi !== undefined && shown(i)) samples.push({ suffix: '_bucket', labels: [...labels, ['le', (bucket.hi - 1n).toString()]], value: cumulative.toString() });
  });
  samples.push({ suffix: '_bucket', labels: [...labels, ['le', '+Inf']], value: cumulative.toString() });
  samples.push({ suffix: '_sum', labels, value: (e.stats?.sum ?? 0n).toString() });
  samples.push({ suffix: '_count', labels, value: cumulative.toString() });
  return samples;
}

/**
 * Which buckets get a line. Every key and every scrape shows the same set, so that
 * `sum by (le)` across keys and machines adds like with like: lhist() all its buckets;
 * hist() the powers of two the argument's type can reach (a u16 stops at le="65535"),
 * the negative bucket only for a signed argument.
 */
function shownBuckets(agg: AggValue, buckets: HistBucket[]): (i: number) => boolean {
  if (agg.agg === 'lhist') return () => true;
  const signed = isSigned(agg.argType);
  const bits = agg.argType?.kind === 'int' ? agg.argType.bits : 64;
  // Bucket k >= 2 holds [2^(k-2), 2^(k-1)): the largest value of `bits` falls in k = bits + 1 (unsigned), k = bits (signed).
  const last = Math.min(buckets.length - 1, signed ? bits : bits + 1);
  return (i) => i <= last && (signed || i >= 1);
}
