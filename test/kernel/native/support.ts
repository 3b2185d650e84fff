// Shared bits of the native addon's kernel tests: root check, fd bookkeeping that
// never closes an fd twice, polling for asynchronous kernel effects, per-CPU sums.
import { afterEach } from 'vitest';
import * as native from '../../../src/native/bpf.js';

export function requireRootOrFail(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the native kernel tests load BPF programs and create network namespaces: run them as root',
    );
  }
}

/** Tracks fds opened by a test file; whatever a test did not release is closed after it. */
export function fdTracker(): { track(fd: number): number; release(fd: number): void } {
  const open = new Set<number>();
  afterEach(() => {
    // Links before programs and maps, in reverse order of opening.
    for (const fd of [...open].reverse()) native.closeFd(fd);
    open.clear();
  });
  return {
    track(fd) {
      open.add(fd);
      return fd;
    },
    release(fd) {
      if (open.delete(fd)) native.closeFd(fd);
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `expected` (or the deadline passes); returns the last value. */
export async function settle<T>(read: () => T, expected: T, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (value !== expected && Date.now() < deadline) {
    await sleep(20);
    value = read();
  }
  return value;
}

/** Sum of the u64 counters of one key of a per-CPU map (slots of 8 bytes per CPU). */
export function perCpuSum(values: Buffer, keyIndex = 0): bigint {
  const cpus = native.numPossibleCpus();
  let sum = 0n;
  for (let cpu = 0; cpu < cpus; cpu++) sum += values.readBigUInt64LE((keyIndex * cpus + cpu) * 8);
  return sum;
}

/** The u64 at slot 0 of an array map. */
export function arraySlot0(mapFd: number): bigint {
  const value = native.mapLookup(mapFd, Buffer.alloc(4), 8);
  return value === null ? 0n : value.readBigUInt64LE(0);
}

/** Per-CPU hash counter of key 0 (u32), summed over CPUs; 0 when the key is absent. */
export function perCpuCounter(mapFd: number): bigint {
  const { values, count } = native.mapLookupBatch(mapFd, 4, 8, { perCpu: true, maxEntries: 16 });
  return count === 0 ? 0n : perCpuSum(values);
}
