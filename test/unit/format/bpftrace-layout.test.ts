// bpftrace 0.17's map layouts, text (print(@m) and the end of a run) and `-f json`, with
// expectations copied from what bpftrace 0.17 printed for the same maps on this machine
// (docs/output.md, "Layout" and "bpftrace's JSON").
import { describe, expect, it } from 'vitest';
import { mapPrintText } from '../../../src/format/map-print-text.js';
import { bpftraceAttachedJson, bpftraceHelperErrorJson, bpftraceLostJson, bpftraceMapJson, bpftracePrintfJson, bpftraceValueJson } from '../../../src/format/json-bpftrace.js';
import type { HistBucket, MapEntry } from '../../../src/model/map-reading.js';
import { bool, int, s64, str, u64 } from '../../../src/model/types.js';
import type { AggValue } from '../../../src/model/checked.js';
import { mapOf, readingOf } from '../serve/fixtures.js';

const agg = (name: AggValue['agg'], extra: Partial<AggValue> = {}): AggValue => ({ kind: 'agg', agg: name, argType: u64, ...extra }) as AggValue;
const n = (value: bigint, ...keyValues: MapEntry['keyValues']): MapEntry => ({ keyValues, value });
const stats = (count: bigint, sum: bigint, ...keyValues: MapEntry['keyValues']): MapEntry => ({ keyValues, value: count === 0n ? 0n : sum / count, stats: { count, sum } });
const BAR = '@'.repeat(52);

/** hist() buckets with one value in [lo, 2lo), as merge() makes them. */
function histOne(lo: bigint, label: string): HistBucket[] {
  return [{ hi: 0n, count: 0n, label: '(..., 0)' }, { lo, hi: lo * 2n, count: 1n, label }, { lo: lo * 2n, hi: lo * 4n, count: 0n, label: 'x' }];
}

describe('text layout, as bpftrace 0.17', () => {
  it('counts, sums and values: one line per key, no blank line after', () => {
    expect(mapPrintText(readingOf(mapOf('@x', [], { kind: 'scalar', type: s64 }), [{ keyValues: [], value: 1n, scalar: 1n }]))).toBe('@x: 1\n');
    const z = mapOf('@z', [u64], agg('count'));
    expect(mapPrintText(readingOf(z, [n(5n, 1n), n(2n, 7n)]))).toBe('@z[7]: 2\n@z[1]: 5\n');
    expect(mapPrintText(readingOf(z, [n(5n, 1n), n(2n, 7n), n(9n, 3n)]), 2)).toBe('@z[1]: 5\n@z[3]: 9\n');
    expect(mapPrintText(readingOf(mapOf('@s', [u64, u64], agg('sum')), [n(3n, 1n, 2n)]))).toBe('@s[1, 2]: 3\n');
    expect(mapPrintText(readingOf(mapOf('@str', [], { kind: 'scalar', type: str(16) }), [{ keyValues: [], value: 0n, scalar: 'hello' }]))).toBe('@str: hello\n');
  });

  it('avg() and stats(): a blank line after the map', () => {
    expect(mapPrintText(readingOf(mapOf('@a', [], agg('avg')), [stats(1n, 10n)]))).toBe('@a: 10\n\n');
    expect(mapPrintText(readingOf(mapOf('@a2', [u64], agg('avg')), [stats(1n, 6n, 2n), stats(1n, 4n, 1n)]))).toBe('@a2[1]: 4\n@a2[2]: 6\n\n');
    expect(mapPrintText(readingOf(mapOf('@st', [], agg('stats')), [stats(1n, 7n)]))).toBe('@st: count 1, average 7, total 7\n\n');
  });

  it('hist(): `@h: ` with a space, the buckets, a blank line after each key', () => {
    const h = mapOf('@h2', [u64], agg('hist'));
    const text = mapPrintText(readingOf(h, [{ ...n(1n, 1n), buckets: histOne(64n, '[64, 128)') }, { ...n(1n, 2n), buckets: histOne(2n, '[2, 4)') }]));
    expect(text).toBe(`@h2[1]: \n[64, 128)              1 |${BAR}|\n\n@h2[2]: \n[2, 4)                 1 |${BAR}|\n\n`);
    // A zeroed histogram: the key, no buckets.
    expect(mapPrintText(readingOf(h, [{ ...n(0n, 1n), buckets: [{ hi: 0n, count: 0n, label: '(..., 0)' }] }]))).toBe('@h2[1]: \n\n');
  });

  it('empty maps print their ends; only a keyless count() prints its zero', () => {
    expect(mapPrintText(readingOf(mapOf('@c', [], agg('count')), []))).toBe('@c: 0\n');
    expect(mapPrintText(readingOf(mapOf('@s', [], agg('sum')), []))).toBe('\n');
    expect(mapPrintText(readingOf(mapOf('@k', [u64], agg('count')), []))).toBe('\n');
    expect(mapPrintText(readingOf(mapOf('@x', [], { kind: 'scalar', type: s64 }), []))).toBe('\n');
    expect(mapPrintText(readingOf(mapOf('@h', [], agg('hist')), []))).toBe('\n');
    expect(mapPrintText(readingOf(mapOf('@a', [], agg('avg')), []))).toBe('\n\n');
    expect(mapPrintText(readingOf(mapOf('@st', [u64], agg('stats')), []))).toBe('\n\n');
  });
});

describe('-f json --json-compat bpftrace, as bpftrace 0.17', () => {
  it('messages', () => {
    expect(bpftraceAttachedJson(1)).toBe('{"type": "attached_probes", "data": {"probes": 1}}');
    expect(bpftracePrintfJson('q"\\ \t x\n')).toBe('{"type": "printf", "data": "q\\"\\\\ \\t x\\n"}');
    expect(bpftracePrintfJson('\x01')).toBe('{"type": "printf", "data": "\\u0001"}');
    expect(bpftraceValueJson(s64, -3n)).toBe('{"type": "value", "data": -3}');
    expect(bpftraceValueJson(str(8), 'str')).toBe('{"type": "value", "data": "str"}');
    expect(bpftraceValueJson(int(32, false, 'ipv4'), 0x7f000001n)).toBe('{"type": "value", "data": "127.0.0.1"}');
    expect(bpftraceLostJson(10n)).toBe('{"type": "lost_events", "data": {"events": 10}}');
    expect(bpftraceHelperErrorJson('map_update_elem', -7, 1, 9)).toBe('{"type": "helper_error", "helper": "map_update_elem", "retcode": -7, "line": 1, "col": 9}');
  });

  it('maps: keyless values bare, keys joined with "," into one string', () => {
    expect(bpftraceMapJson(readingOf(mapOf('@x', [], { kind: 'scalar', type: s64 }), [{ keyValues: [], value: 1n, scalar: 1n }]))).toBe('{"type": "map", "data": {"@x": 1}}');
    const k = mapOf('@k', [str(8), u64], { kind: 'scalar', type: s64 });
    expect(bpftraceMapJson(readingOf(k, [{ keyValues: ['a"b', 5n], value: -3n, scalar: -3n }, { keyValues: ['x,y', 6n], value: 4n, scalar: 4n }]))).toBe(
      '{"type": "map", "data": {"@k": {"a\\"b,5": -3, "x,y,6": 4}}}',
    );
    expect(bpftraceMapJson(readingOf(mapOf('@m', [u64], agg('count')), [n(5n, 1n), n(3n, 2n), n(9n, 3n)]), 2)).toBe('{"type": "map", "data": {"@m": {"1": 5, "3": 9}}}');
    expect(bpftraceMapJson(readingOf(mapOf('@s', [], { kind: 'scalar', type: str(16) }), [{ keyValues: [], value: 0n, scalar: 'tab\there' }]))).toBe('{"type": "map", "data": {"@s": "tab\\there"}}');
    expect(bpftraceMapJson(readingOf(mapOf('@b', [], { kind: 'scalar', type: bool }), [{ keyValues: [], value: 0n, scalar: true }]))).toBe('{"type": "map", "data": {"@b": 1}}');
  });

  it('avg and stats are "stats"; histograms are "hist" with inclusive bounds', () => {
    expect(bpftraceMapJson(readingOf(mapOf('@a', [], agg('avg')), [stats(1n, 3n)]))).toBe('{"type": "stats", "data": {"@a": 3}}');
    expect(bpftraceMapJson(readingOf(mapOf('@st', [u64], agg('stats')), [stats(1n, 4n, 1n)]))).toBe('{"type": "stats", "data": {"@st": {"1": {"count": 1, "average": 4, "total": 4}}}}');
    const buckets: HistBucket[] = [
      { hi: 0n, count: 1n, label: '(..., 0)' },
      { lo: 0n, hi: 1n, count: 1n, label: '[0]' },
      { lo: 2n, hi: 4n, count: 0n, label: '[2, 4)' },
      { lo: 100n, count: 1n, label: '[100, ...)' },
    ];
    expect(bpftraceMapJson(readingOf(mapOf('@h', [], agg('hist')), [{ ...n(3n), buckets }]))).toBe(
      '{"type": "hist", "data": {"@h": [{"max": -1, "count": 1}, {"min": 0, "max": 0, "count": 1}, {"min": 2, "max": 3, "count": 0}, {"min": 100, "count": 1}]}}',
    );
    expect(bpftraceMapJson(readingOf(mapOf('@zk', [u64], agg('hist')), [{ ...n(0n, 3n), buckets: [{ lo: 0n, hi: 1n, count: 0n, label: '[0]' }] }]))).toBe('{"type": "hist", "data": {"@zk": {"3": []}}}');
  });

  it('an empty map prints nothing, except a keyless count(): 0', () => {
    expect(bpftraceMapJson(readingOf(mapOf('@e', [u64], agg('count')), []))).toBeUndefined();
    expect(bpftraceMapJson(readingOf(mapOf('@s', [], agg('sum')), []))).toBeUndefined();
    expect(bpftraceMapJson(readingOf(mapOf('@c', [], agg('count')), []))).toBe('{"type": "map", "data": {"@c": 0}}');
  });
});
