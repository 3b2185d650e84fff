// The end-of-run print of a map read by one batch lookup is made straight from the
// kernel's bytes (src/format/batch-text.ts); it must be exactly the text the decoded
// entries give. Random maps of every aggregation and of plain values, with int, string,
// address and multi-part keys, duplicate keys and equal values (ties), per-CPU slots,
// `top`, and counts of 2^53 and more (where the batch path gives way to the bigints).
import { describe, expect, it } from 'vitest';
import { aggregation } from '../../../src/aggregations/registry.js';
import { decimalTextOrder } from '../../../src/format/decimal-key-order.js';
import { mapPrintOutput, mapPrintText } from '../../../src/format/map-print-text.js';
import type { AggValue } from '../../../src/model/checked.js';
import type { MapDescription } from '../../../src/model/compiled-program.js';
import { layoutStruct } from '../../../src/model/layout.js';
import { batchReading, decodeMapEntries, type MapReading, type MergeSlots, type RawMapEntries } from '../../../src/model/map-reading.js';
import { int, str, type Type } from '../../../src/model/types.js';

const merge: MergeSlots = (slots, value) => aggregation(value.agg).merge(slots, value);

/** A small deterministic generator (xorshift), so a failure can be replayed from its seed. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    below: (n: number) => next() % n,
    pick: <T>(xs: readonly T[]): T => xs[next() % xs.length],
    chance: (p: number) => next() / 0x100000000 < p,
  };
}
type Random = ReturnType<typeof random>;

const KEY_TYPES: Type[] = [
  int(64, false),
  int(32, false),
  int(16, false),
  int(8, false),
  int(64, true),
  int(32, false, 'ipv4'),
  int(8, false, 'ipproto'),
  int(16, false, 'ethproto'),
  int(8, false, 'tcpflags'),
  int(64, false, 'hex'),
  str(16),
  { kind: 'bool' },
  { kind: 'bytes', size: 6, show: 'mac' },
  { kind: 'bytes', size: 16, show: 'ipv6' },
];

function aggValue(r: Random): AggValue {
  const agg = r.pick(['count', 'sum', 'avg', 'min', 'max', 'stats', 'hist', 'lhist']);
  const argType = r.pick([int(64, false), int(64, true), int(32, false)]);
  if (agg === 'count') return { kind: 'agg', agg };
  if (agg === 'lhist') {
    const lo = BigInt(r.pick([0, -100, 1024, 7]));
    const step = BigInt(r.pick([1, 10, 1024, 3]));
    return { kind: 'agg', agg, argType, params: [lo, lo + step * BigInt(1 + r.below(40)), step] };
  }
  return { kind: 'agg', agg, argType };
}

function randomMap(r: Random): MapDescription {
  const keyTypes = Array.from({ length: r.pick([0, 1, 1, 1, 2, 3]) }, () => r.pick(KEY_TYPES));
  const key = layoutStruct(keyTypes);
  if (r.chance(0.75)) {
    const value = aggValue(r);
    return { index: 0, displayName: '@m', bpfType: 5, perCpu: true, key, valueSize: aggregation(value.agg).slotSize(value), maxEntries: 4096, value };
  }
  const valueLayout = layoutStruct([r.pick<Type>([int(64, false), int(64, true), int(32, false, 'ipv4'), str(12), { kind: 'bool' }])]);
  return { index: 0, displayName: '@v', bpfType: 1, perCpu: false, key, valueSize: valueLayout.size, maxEntries: 4096, value: { kind: 'plain' } as never, valueLayout };
}

/** A word: mostly 0 and small numbers, now and then near or above 2^53 or negative. */
function randomWord(r: Random, huge: boolean): bigint {
  if (r.chance(0.6)) return 0n;
  if (huge && r.chance(0.02)) return (1n << 53n) + BigInt(r.below(1000));
  if (r.chance(0.05)) return BigInt.asUintN(64, -BigInt(r.below(5000)));
  return BigInt(r.below(r.pick([3, 50, 100000])));
}

function randomBatch(r: Random, map: MapDescription, cpus: number, huge: boolean): RawMapEntries {
  const count = r.pick([0, 1, 2, 5, 40, 300]);
  // Few distinct key bytes, so some keys repeat (their texts tie).
  const keys = Buffer.alloc(count * map.key.size);
  for (let i = 0; i < keys.length; i++) keys[i] = r.chance(0.5) ? 0 : r.pick([0x31, 0x41, 0x7a, 0xff, 1, 2]);
  for (let i = 0; i < count; i++) {
    for (const f of map.key.fields) {
      if (f.type.kind === 'str' && r.chance(0.5)) keys[i * map.key.size + f.offset + r.below(f.type.size)] = 0;
      if (f.type.kind === 'str') keys[i * map.key.size + f.offset + f.type.size - 1] = 0;
    }
  }
  const slotSize = Math.ceil(map.valueSize / 8) * 8;
  const stride = map.perCpu ? slotSize * cpus : map.valueSize;
  const values = Buffer.alloc(count * stride);
  for (let i = 0; i < count; i++) {
    if (map.perCpu) {
      for (let c = 0; c < cpus; c++) for (let w = 0; w < map.valueSize / 8; w++) values.writeBigUInt64LE(randomWord(r, huge), i * stride + c * slotSize + w * 8);
    } else {
      for (let b = 0; b < map.valueSize; b++) values[i * stride + b] = r.chance(0.5) ? 0 : r.pick([0x30, 0x61, 0x7e, 0x80, 0xff, 3]);
      const field = map.valueLayout!.fields[0];
      if (field.type.kind === 'str') values[i * stride + field.offset + field.type.size - 1] = 0;
    }
  }
  return { keys, values, count };
}

function decoded(map: MapDescription, raw: RawMapEntries, cpus: number): MapReading {
  return { map, entries: decodeMapEntries(map, raw, cpus, merge) };
}

describe('the end-of-run print from the batch bytes', () => {
  it('is the text of the decoded entries, on 600 random maps', () => {
    let compared = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const r = random(seed * 7919);
      const map = randomMap(r);
      const cpus = r.pick([1, 2, 3, 8]);
      const raw = randomBatch(r, map, cpus, r.chance(0.3));
      const top = r.chance(0.2) ? r.below(10) : undefined;
      const fast = mapPrintText(batchReading(map, raw, cpus, merge), top);
      const slow = mapPrintText(decoded(map, raw, cpus), top);
      expect(fast, `seed ${seed}: ${map.value.kind === 'agg' ? map.value.agg : 'plain'} keyed by ${map.key.fields.map((f) => f.type.kind).join(',')}`).toBe(slow);
      compared += raw.count;
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('prints a hist or count map without decoding its entries', () => {
    for (const value of [{ kind: 'agg', agg: 'hist', argType: int(64, false) }, { kind: 'agg', agg: 'count' }] as AggValue[]) {
      const map: MapDescription = { index: 0, displayName: '@h', bpfType: 5, perCpu: true, key: layoutStruct([int(64, false)]), valueSize: aggregation(value.agg).slotSize(value), maxEntries: 64, value };
      // 300 keys, small counts on both CPUs.
      const raw: RawMapEntries = { keys: Buffer.alloc(300 * 8), values: Buffer.alloc(300 * 2 * map.valueSize), count: 300 };
      const r = random(3);
      for (let i = 0; i < 300; i++) {
        raw.keys.writeBigUInt64LE(BigInt(r.below(1000)), i * 8);
        for (let w = 0; w < (2 * map.valueSize) / 8; w++) raw.values.writeBigUInt64LE(BigInt(r.chance(0.7) ? 0 : r.below(20)), i * 2 * map.valueSize + w * 8);
      }
      const untouchable: MapReading = {
        map,
        batch: { ...raw, cpus: 2 },
        get entries(): never {
          throw new Error('entries decoded');
        },
      };
      expect(mapPrintText(untouchable)).toBe(mapPrintText(decoded(map, raw, 2)));
    }
  });

  it('writes key texts that are not ASCII as UTF-8, and hands a writer the same bytes', () => {
    const value: AggValue = { kind: 'agg', agg: 'hist', argType: int(64, false) };
    const map: MapDescription = { index: 0, displayName: '@h', bpfType: 5, perCpu: true, key: layoutStruct([str(16)]), valueSize: aggregation(value.agg).slotSize(value), maxEntries: 64, value };
    const stride = map.valueSize * 2;
    const names = ['café', 'ab', 'Ωμέγα'];
    const raw: RawMapEntries = { keys: Buffer.alloc(names.length * 16), values: Buffer.alloc(names.length * stride), count: names.length };
    names.forEach((name, i) => {
      raw.keys.write(name, i * 16, 'utf8');
      raw.values.writeBigUInt64LE(BigInt(i + 1), i * stride + 3 * 8);
    });
    const text = mapPrintText(batchReading(map, raw, 2, merge));
    expect(text).toBe(mapPrintText(decoded(map, raw, 2)));
    expect(text).toContain('@h[café]: \n');
    expect(text).toContain('@h[Ωμέγα]: \n');
    const bytes = mapPrintOutput(batchReading(map, raw, 2, merge));
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(Buffer.from(bytes).toString('utf8')).toBe(text);
  });

  it('gives way to the decoded entries when a bucket count is 2^53 or more', () => {
    const value: AggValue = { kind: 'agg', agg: 'hist', argType: int(64, false) };
    const map: MapDescription = { index: 0, displayName: '@h', bpfType: 5, perCpu: true, key: layoutStruct([int(64, false)]), valueSize: aggregation(value.agg).slotSize(value), maxEntries: 64, value };
    const stride = map.valueSize * 2;
    const raw: RawMapEntries = { keys: Buffer.alloc(16), values: Buffer.alloc(2 * stride), count: 2 };
    raw.keys.writeBigUInt64LE(7n, 8);
    raw.values.writeBigUInt64LE(1n << 60n, 5 * 8); // key 0, CPU 0, bucket [8, 16)
    raw.values.writeBigUInt64LE(3n, stride + map.valueSize + 5 * 8); // key 7, CPU 1
    const text = mapPrintText(batchReading(map, raw, 2, merge));
    expect(text).toBe(mapPrintText(decoded(map, raw, 2)));
    expect(text).toContain('1152921504606846976');
    expect(text.indexOf('@h[7]')).toBeLessThan(text.indexOf('@h[0]'));
  });
});

describe('keys sorted by their numbers as their texts sort', () => {
  it('orders [n] texts exactly as strings do, prefixes and 2^53 - 1 included', () => {
    const r = random(11);
    const tricky = [0, 1, 2, 9, 10, 11, 19, 100, 101, 109, 110, 12, 120, 1200, 1201, 99, 999, 1000, 10_000_000, 9_007_199_254_740_991, 9_007_199_254_740_990, 900_719_925_474_099, 1_000_000_000_000_000];
    const numbers = new Float64Array([...tricky, ...Array.from({ length: 300 }, () => r.below(10 ** r.below(10)))]);
    const compare = decimalTextOrder(numbers);
    const text = (i: number) => `[${numbers[i]}]`;
    for (let a = 0; a < numbers.length; a++) {
      for (let b = 0; b < numbers.length; b++) {
        const expected = text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0;
        expect(Math.sign(compare(a, b)), `${text(a)} vs ${text(b)}`).toBe(expected);
      }
    }
  });

  it('prints a map keyed by small numbers of every length as the decoded entries do', () => {
    const value: AggValue = { kind: 'agg', agg: 'count' };
    const map: MapDescription = { index: 0, displayName: '@c', bpfType: 5, perCpu: true, key: layoutStruct([int(32, false)]), valueSize: 8, maxEntries: 4096, value };
    const r = random(5);
    const count = 2000;
    const raw: RawMapEntries = { keys: Buffer.alloc(count * 8), values: Buffer.alloc(count * 16), count };
    for (let i = 0; i < count; i++) {
      raw.keys.writeUInt32LE(r.below(10 ** r.below(8)), i * 8);
      raw.values.writeBigUInt64LE(BigInt(r.below(3)), i * 16); // many equal values: the keys decide
    }
    expect(mapPrintText(batchReading(map, raw, 2, merge))).toBe(mapPrintText(decoded(map, raw, 2)));
  });
});
