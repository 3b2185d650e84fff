// Map operations against the kernel: element calls, whole-map batch reads (and their
// fallback for maps without batch support), per-CPU value layout, clearing, and the
// size checks that keep a wrong buffer length from reaching the kernel.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as native from '../../../src/native/bpf.js';
import { BPF_MAP_TYPE, BPF_UPDATE } from '../../../src/model/uapi.js';
import { NativeError } from '../../../src/native/errors.js';
import { fdTracker, requireRootOrFail } from './support.js';

const fds = fdTracker();

beforeAll(() => {
  requireRootOrFail();
});

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

function hashMap(maxEntries = 4096): number {
  return fds.track(native.createMap({ type: BPF_MAP_TYPE.HASH, keySize: 4, valueSize: 8, maxEntries, name: 'test_hash' }));
}

function errorOf(fn: () => unknown): NativeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NativeError);
    return e as NativeError;
  }
  throw new Error('expected a NativeError');
}

describe('numPossibleCpus', () => {
  it('matches /sys/devices/system/cpu/possible', () => {
    const possible = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
    const count = possible
      .split(',')
      .map((range) => range.split('-').map(Number))
      .reduce((n, [lo, hi]) => n + (hi === undefined ? 1 : hi - lo! + 1), 0);
    expect(native.numPossibleCpus()).toBe(count);
  });
});

describe('element operations', () => {
  it('update, lookup, delete on a hash map', () => {
    const fd = hashMap();
    expect(native.mapLookup(fd, u32(7), 8)).toBeNull();
    native.mapUpdate(fd, u32(7), u64(700n));
    expect(native.mapLookup(fd, u32(7), 8)).toEqual(u64(700n));
    expect(native.mapDelete(fd, u32(7))).toBe(true);
    expect(native.mapDelete(fd, u32(7))).toBe(false);
    expect(native.mapLookup(fd, u32(7), 8)).toBeNull();
  });

  it('update flags and a full map report the errno', () => {
    const fd = hashMap(2);
    native.mapUpdate(fd, u32(1), u64(1n), BPF_UPDATE.NOEXIST);
    expect(errorOf(() => native.mapUpdate(fd, u32(1), u64(2n), BPF_UPDATE.NOEXIST)).errno).toBe(17); // EEXIST
    expect(errorOf(() => native.mapUpdate(fd, u32(9), u64(2n), BPF_UPDATE.EXIST)).errno).toBe(2); // ENOENT
    native.mapUpdate(fd, u32(2), u64(2n));
    expect(errorOf(() => native.mapUpdate(fd, u32(3), u64(3n))).errno).toBe(7); // E2BIG: full
  });

  it('refuses buffers whose size does not match the map, before the kernel sees them', () => {
    const fd = hashMap();
    expect(errorOf(() => native.mapLookup(fd, Buffer.alloc(2), 8)).message).toContain('4-byte keys');
    expect(errorOf(() => native.mapLookup(fd, u32(1), 4)).message).toContain('needs 8 value bytes');
    expect(errorOf(() => native.mapUpdate(fd, u32(1), Buffer.alloc(16))).code).toBe('OTHER');
    expect(errorOf(() => native.mapDelete(fd, Buffer.alloc(8))).code).toBe('OTHER');
    expect(errorOf(() => native.mapLookupBatch(fd, 4, 4, { perCpu: false, maxEntries: 8 })).code).toBe('OTHER');
    expect(errorOf(() => native.mapLookupBatch(fd, 4, 8, { perCpu: true, maxEntries: 8 })).code).toBe('OTHER');
  });

  it('a bad map spec is an error with the errno', () => {
    const e = errorOf(() => native.createMap({ type: BPF_MAP_TYPE.HASH, keySize: 0, valueSize: 8, maxEntries: 4, name: 'bad' }));
    expect(e.code).toBe('OTHER');
    expect(e.errno).toBe(22); // EINVAL
  });
});

describe('mapLookupBatch', () => {
  it('reads every entry of a hash map, growing past the expected size', () => {
    const fd = hashMap();
    const expected = new Map<number, bigint>();
    for (let k = 0; k < 1000; k++) {
      expected.set(k * 3, BigInt(k) * 1000n);
      native.mapUpdate(fd, u32(k * 3), u64(BigInt(k) * 1000n));
    }
    for (const maxEntries of [1000, 10]) {
      const { keys, values, count } = native.mapLookupBatch(fd, 4, 8, { perCpu: false, maxEntries });
      expect(count).toBe(1000);
      expect(keys.length).toBe(1000 * 4);
      expect(values.length).toBe(1000 * 8);
      const read = new Map<number, bigint>();
      for (let i = 0; i < count; i++) read.set(keys.readUInt32LE(i * 4), values.readBigUInt64LE(i * 8));
      expect(read).toEqual(expected);
    }
  });

  it('an empty map reads as no entries', () => {
    const { keys, values, count } = native.mapLookupBatch(hashMap(), 4, 8, { perCpu: false, maxEntries: 16 });
    expect([count, keys.length, values.length]).toEqual([0, 0, 0]);
  });

  it('per-CPU values come raw: one 8-byte-aligned slot per possible CPU', () => {
    const cpus = native.numPossibleCpus();
    const fd = fds.track(
      native.createMap({ type: BPF_MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: 4, maxEntries: 3, name: 'test_pcpu' }),
    );
    const slot = 8; // round_up(4, 8)
    const value = Buffer.alloc(cpus * slot);
    for (let cpu = 0; cpu < cpus; cpu++) value.writeUInt32LE(100 + cpu, cpu * slot);
    native.mapUpdate(fd, u32(1), value);
    expect(native.mapLookup(fd, u32(1), cpus * slot)).toEqual(value);

    const { keys, values, count } = native.mapLookupBatch(fd, 4, 4, { perCpu: true, maxEntries: 3 });
    expect(count).toBe(3); // arrays always hold every index
    expect(values.length).toBe(3 * cpus * slot);
    const index1 = [0, 1, 2].find((i) => keys.readUInt32LE(i * 4) === 1)!;
    expect(values.subarray(index1 * cpus * slot, (index1 + 1) * cpus * slot)).toEqual(value);
  });

  it('falls back to key iteration for maps without batch support (LPM trie)', () => {
    const fd = fds.track(
      native.createMap({ type: 11 /* LPM_TRIE */, keySize: 8, valueSize: 8, maxEntries: 16, name: 'test_lpm', flags: 1 /* NO_PREALLOC */ }),
    );
    const prefix = (len: number, a: number, b: number) => Buffer.from([len, 0, 0, 0, 10, a, b, 0]);
    native.mapUpdate(fd, prefix(16, 0, 0), u64(1n));
    native.mapUpdate(fd, prefix(24, 1, 2), u64(2n));
    const { keys, values, count } = native.mapLookupBatch(fd, 8, 8, { perCpu: false, maxEntries: 16 });
    expect(count).toBe(2);
    const read = [0, 1].map((i) => [keys.subarray(i * 8, i * 8 + 8).toString('hex'), values.readBigUInt64LE(i * 8)]);
    expect(read).toEqual(
      expect.arrayContaining([
        [prefix(16, 0, 0).toString('hex'), 1n],
        [prefix(24, 1, 2).toString('hex'), 2n],
      ]),
    );
  });
});

describe('mapClear', () => {
  it('deletes every key of a hash map', () => {
    const fd = hashMap();
    for (let k = 0; k < 300; k++) native.mapUpdate(fd, u32(k), u64(1n));
    native.mapClear(fd, 4);
    expect(native.mapLookupBatch(fd, 4, 8, { perCpu: false, maxEntries: 300 }).count).toBe(0);
  });

  it('zeroes every slot of an array (whose keys cannot be deleted), per-CPU ones included', () => {
    const cpus = native.numPossibleCpus();
    const array = fds.track(native.createMap({ type: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: 8, maxEntries: 4, name: 'test_arr' }));
    const percpu = fds.track(
      native.createMap({ type: BPF_MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 4, name: 'test_parr' }),
    );
    for (let k = 0; k < 4; k++) {
      native.mapUpdate(array, u32(k), u64(5n));
      native.mapUpdate(percpu, u32(k), Buffer.alloc(cpus * 8, 1));
    }
    native.mapClear(array);
    native.mapClear(percpu);
    const plain = native.mapLookupBatch(array, 4, 8, { perCpu: false, maxEntries: 4 });
    expect(plain.count).toBe(4);
    expect(plain.values).toEqual(Buffer.alloc(4 * 8));
    const perCpu = native.mapLookupBatch(percpu, 4, 8, { perCpu: true, maxEntries: 4 });
    expect(perCpu.values).toEqual(Buffer.alloc(4 * cpus * 8));
  });
});
