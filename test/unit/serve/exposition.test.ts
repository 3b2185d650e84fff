// Maps as Prometheus metrics: the kind each aggregation becomes, labels valued as
// nettrace prints keys, real histograms, the series limit, and both text formats.
import { describe, expect, it } from 'vitest';
import { histAggregation } from '../../../src/aggregations/hist.js';
import { lhistAggregation } from '../../../src/aggregations/lhist.js';
import { int, s64, str, u16, u32, u64 } from '../../../src/model/types.js';
import type { AggValue } from '../../../src/model/checked.js';
import type { MetricsSource } from '../../../src/serve/metrics-source.js';
import { negotiateFormat } from '../../../src/serve/content-type.js';
import { escapeHelp, escapeLabelValue, exposition } from '../../../src/serve/exposition.js';
import { mapFamilies } from '../../../src/serve/map-metrics.js';
import { Scraper } from '../../../src/serve/scrape.js';
import { SeriesBudget } from '../../../src/serve/series-budget.js';
import { mapOf, readingOf } from './fixtures.js';

const ipv4 = int(32, false, 'ipv4');
const ipproto = int(8, false, 'ipproto');
const origin = (keys: (string | undefined)[], statement: string) => ({ keys, statement, probes: 'xdp:eth0' });
const budget = () => new SeriesBudget(1000);

/** One CPU's hist()/lhist() slot: counts at bucket indexes, then the sum word. */
function histSlot(words: number, counts: Record<number, number>, sum: number): Buffer {
  const b = Buffer.alloc(words * 8);
  for (const [i, n] of Object.entries(counts)) b.writeBigUInt64LE(BigInt(n), Number(i) * 8);
  b.writeBigInt64LE(BigInt(sum), (words - 1) * 8);
  return b;
}

describe('each aggregation as its kind of metric', () => {
  it('count(): a counter, labels valued as nettrace prints the keys', () => {
    const map = mapOf('@packets', [ipv4, ipproto], { kind: 'agg', agg: 'count' }, origin(['ip.src', 'ip.proto'], '@packets[ip.src, ip.proto] = count()'));
    const text = exposition(mapFamilies(readingOf(map, [{ keyValues: [0x0a000007n, 17n], value: 1520n }]), budget()), 'text');
    expect(text).toBe(
      '# HELP nettrace_packets_total @packets[ip.src, ip.proto] = count() (xdp:eth0)\n' +
        '# TYPE nettrace_packets_total counter\n' +
        'nettrace_packets_total{ip_src="10.0.0.7",ip_proto="udp"} 1520\n',
    );
  });

  it('sum(): a counter when x cannot be negative, a gauge when it can', () => {
    const unsigned = mapOf('@bytes', [], { kind: 'agg', agg: 'sum', argType: u32 });
    const signed = mapOf('@delta', [], { kind: 'agg', agg: 'sum', argType: s64 });
    expect(mapFamilies(readingOf(unsigned, [{ keyValues: [], value: 9n }]), budget())[0]).toMatchObject({ name: 'nettrace_bytes', type: 'counter', samples: [{ suffix: '_total', value: '9' }] });
    expect(mapFamilies(readingOf(signed, [{ keyValues: [], value: -4n }]), budget())[0]).toMatchObject({ name: 'nettrace_delta', type: 'gauge', samples: [{ suffix: '', value: '-4' }] });
  });

  it('avg(), min(), max(): gauges', () => {
    for (const agg of ['avg', 'min', 'max']) {
      const map = mapOf('@v', [], { kind: 'agg', agg, argType: u64 });
      expect(mapFamilies(readingOf(map, [{ keyValues: [], value: 7n }]), budget()).map((f) => [f.type, f.samples[0].value])).toEqual([['gauge', '7']]);
    }
  });

  it('stats(): a summary of _count and _sum, with _min and _max gauges', () => {
    const map = mapOf('@len', [u16], { kind: 'agg', agg: 'stats', argType: u64 }, origin(['udp.dport'], '@len[udp.dport] = stats(pkt.len)'));
    const families = mapFamilies(readingOf(map, [{ keyValues: [53n], value: 100n, stats: { count: 3n, sum: 300n, min: 60n, max: 140n } }]), budget());
    expect(exposition(families, 'text').split('\n').filter((l) => !l.startsWith('# HELP'))).toEqual([
      '# TYPE nettrace_len summary',
      'nettrace_len_count{udp_dport="53"} 3',
      'nettrace_len_sum{udp_dport="53"} 300',
      '# TYPE nettrace_len_min gauge',
      'nettrace_len_min{udp_dport="53"} 60',
      '# TYPE nettrace_len_max gauge',
      'nettrace_len_max{udp_dport="53"} 140',
      '',
    ]);
  });

  it('hist(): cumulative le buckets up to what the type reaches, +Inf, _sum and _count', () => {
    const value: AggValue = { kind: 'agg', agg: 'hist', argType: u16 };
    // Bucket 1 = [0], 8 = [64, 128), 11 = [512, 1K)
    const r = histAggregation.merge([histSlot(67, { 1: 1, 8: 3, 11: 1 }, 0 + 3 * 100 + 600)], value);
    const families = mapFamilies(readingOf(mapOf('@size', [], value), [{ keyValues: [], value: r.value, buckets: r.buckets, stats: r.stats }]), budget());
    const lines = exposition(families, 'text').split('\n');
    const buckets = lines.filter((l) => l.includes('_bucket'));
    // u16 reaches 65535: le 0, 1, 3, ..., 65535 is 17 bounds, then +Inf.
    expect(buckets).toHaveLength(18);
    expect(buckets.slice(0, 3)).toEqual(['nettrace_size_bucket{le="0"} 1', 'nettrace_size_bucket{le="1"} 1', 'nettrace_size_bucket{le="3"} 1']);
    expect(buckets).toContain('nettrace_size_bucket{le="127"} 4');
    expect(buckets).toContain('nettrace_size_bucket{le="511"} 4');
    expect(buckets).toContain('nettrace_size_bucket{le="1023"} 5');
    expect(buckets.slice(-2)).toEqual(['nettrace_size_bucket{le="65535"} 5', 'nettrace_size_bucket{le="+Inf"} 5']);
    expect(lines).toContain('nettrace_size_sum 900');
    expect(lines).toContain('nettrace_size_count 5');
  });

  it('hist() of a signed value has the negative bucket at le="-1"', () => {
    const value: AggValue = { kind: 'agg', agg: 'hist', argType: int(8, true) };
    const r = histAggregation.merge([histSlot(67, { 0: 2, 1: 1 }, -7)], value);
    const text = exposition(mapFamilies(readingOf(mapOf('@d', [], value), [{ keyValues: [], value: r.value, buckets: r.buckets, stats: r.stats }]), budget()), 'text');
    expect(text).toContain('nettrace_d_bucket{le="-1"} 2\nnettrace_d_bucket{le="0"} 3\n');
    expect(text).toContain('nettrace_d_bucket{le="127"} 3\nnettrace_d_bucket{le="+Inf"} 3\n');
    expect(text).toContain('nettrace_d_sum -7\n');
  });

  it('lhist(): every bucket, the one below lo ending at lo - 1, the one at or above hi in +Inf', () => {
    const value: AggValue = { kind: 'agg', agg: 'lhist', argType: u64, params: [100n, 300n, 100n] };
    const r = lhistAggregation.merge([histSlot(5, { 0: 1, 2: 2, 3: 1 }, 50 + 2 * 250 + 400)], value);
    const text = exposition(mapFamilies(readingOf(mapOf('@l', [], value), [{ keyValues: [], value: r.value, buckets: r.buckets, stats: r.stats }]), budget()), 'text');
    expect(text.split('\n').filter((l) => l.includes('_bucket'))).toEqual([
      'nettrace_l_bucket{le="99"} 1',
      'nettrace_l_bucket{le="199"} 1',
      'nettrace_l_bucket{le="299"} 3',
      'nettrace_l_bucket{le="+Inf"} 4',
    ]);
  });

  it('plain maps: numbers are gauges; other values a gauge of 1 with the value as a label', () => {
    const numbers = mapOf('@n', [], { kind: 'scalar', type: u64 });
    const names = mapOf('@comm', [u32], { kind: 'scalar', type: str(16) }, origin(['pid'], '@comm[pid] = comm'));
    expect(exposition(mapFamilies(readingOf(numbers, [{ keyValues: [], value: 5n, scalar: 5n }]), budget()), 'text')).toContain('\nnettrace_n 5\n');
    expect(exposition(mapFamilies(readingOf(names, [{ keyValues: [42n], value: 0n, scalar: 'sshd' }]), budget()), 'text')).toContain('\nnettrace_comm{pid="42",value="sshd"} 1\n');
  });
});

describe('the two formats', () => {
  const map = mapOf('@packets', [], { kind: 'agg', agg: 'count' }, origin([], '@packets = count() // "quoted" \\ back'));
  const families = () => mapFamilies(readingOf(map, [{ keyValues: [], value: 3n }]), budget());

  it('OpenMetrics names a counter without _total, escapes quotes in HELP and ends with # EOF', () => {
    expect(exposition(families(), 'openmetrics')).toBe(
      '# HELP nettrace_packets @packets = count() // \\"quoted\\" \\\\ back (xdp:eth0)\n# TYPE nettrace_packets counter\nnettrace_packets_total 3\n# EOF\n',
    );
  });

  it('escapes label values: backslash, quote, newline', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeHelp('x\ny"', 'text')).toBe('x\\ny"');
  });

  it('OpenMetrics only when the Accept header asks for it with a weight above zero', () => {
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1')).toBe('openmetrics');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('text');
    expect(negotiateFormat('application/openmetrics-text; q=0')).toBe('text');
    expect(negotiateFormat(undefined)).toBe('text');
  });
});

describe('the series limit', () => {
  it('keeps the biggest keys whole, drops the rest and counts them in nettrace_series_dropped_total', () => {
    const map = mapOf('@per_port', [u16], { kind: 'agg', agg: 'count' }, origin(['udp.dport'], '@per_port[udp.dport] = count()'));
    const entries = [1n, 2n, 3n, 4n, 5n].map((port) => ({ keyValues: [port], value: port * 10n }));
    const source: MetricsSource = {
      maps: [map],
      readMaps: () => [readingOf(map, entries)],
      lostEvents: () => 0n,
      refusedUpdates: () => [],
      programs: () => [],
    };
    const drops: number[] = [];
    const scraper = new Scraper(2, (dropped) => drops.push(dropped));
    const first = scraper.scrape([source], 'text');
    expect(first.split('\n').filter((l) => l.startsWith('nettrace_per_port_total'))).toEqual(['nettrace_per_port_total{udp_dport="5"} 50', 'nettrace_per_port_total{udp_dport="4"} 40']);
    expect(first).toContain('\nnettrace_series_dropped_total 3\n');
    expect(scraper.scrape([source], 'text')).toContain('\nnettrace_series_dropped_total 6\n');
    expect(drops).toEqual([3, 3]);
  });

  it('a histogram key is taken whole or not at all', () => {
    const b = new SeriesBudget(10);
    expect(b.take(8)).toBe(true);
    expect(b.take(3)).toBe(false);
    expect(b.take(2)).toBe(true);
    expect(b.dropped).toBe(3);
  });
});

describe('self metrics and several programs (the REPL)', () => {
  it('a program label on every series; full maps and lost events counted per program', () => {
    const map = mapOf('@', [], { kind: 'agg', agg: 'count' });
    const source = (n: string, count: bigint): MetricsSource => ({
      label: ['program', n],
      maps: [map],
      readMaps: () => [readingOf(map, [{ keyValues: [], value: count }])],
      lostEvents: () => 2n,
      refusedUpdates: () => [{ map, refused: 9n }],
      programs: () => [],
    });
    const text = new Scraper(100).scrape([source('1', 4n), source('2', 6n)], 'text');
    expect(text).toContain('# TYPE nettrace_map_total counter\nnettrace_map_total{program="1"} 4\nnettrace_map_total{program="2"} 6\n');
    expect(text).toContain('nettrace_events_lost_total{program="2"} 2\n');
    expect(text).toContain('nettrace_map_updates_refused_total{program="1",map="@"} 9\n');
    expect(text).toMatch(/\nnettrace_scrape_duration_seconds \d/);
  });

  it('a map named like a self metric is renamed, not merged into it', () => {
    const map = mapOf('@events_lost', [], { kind: 'agg', agg: 'count' });
    const source: MetricsSource = { maps: [map], readMaps: () => [readingOf(map, [{ keyValues: [], value: 1n }])], lostEvents: () => 0n, refusedUpdates: () => [], programs: () => [] };
    const text = new Scraper(100).scrape([source], 'text');
    expect(text).toContain('\nnettrace_map_events_lost_total 1\n');
    expect(text).toContain('\nnettrace_events_lost_total 0\n');
  });
});
