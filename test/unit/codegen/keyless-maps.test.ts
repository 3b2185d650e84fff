// Keyless aggregations live in one-entry per-CPU arrays (src/model/keyless-array.ts): the
// shape codegen gives them, and how a reading tells a written entry from a never-written one.
import { describe, expect, it } from 'vitest';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { compileStages } from '../../../src/compile.js';
import { BPF_MAP_TYPE } from '../../../src/model/uapi.js';
import { isKeylessArray, writtenEntries, writtenWordOffset, zeroedWrittenValue } from '../../../src/model/keyless-array.js';
import { applyMapEntries } from '../../../src/runtime/run/map-entries.js';

const env: KernelEnv = { interfaces: () => ['eth0', 'lo'] };

describe('keyless aggregation maps', () => {
  const program = `xdp:eth0 { @c = count(); @s = sum(pkt.len); @a = avg(pkt.len); @mi = min(pkt.len); @ma = max(pkt.len);
    @st = stats(pkt.len); @h = hist(pkt.len); @l = lhist(pkt.len, 0, 1500, 100); @k[ip.src] = sum(pkt.len); @v = pkt.len }`;

  it('are one-entry per-CPU arrays; keyed and plain maps keep their hashes', () => {
    const { code } = compileStages(program, env);
    const byName = new Map(code.maps.map((m) => [m.displayName, m]));
    for (const name of ['@c', '@s', '@a', '@mi', '@ma', '@st', '@h', '@l']) {
      const map = byName.get(name)!;
      expect([name, map.bpfType, map.key.size, map.maxEntries, isKeylessArray(map)]).toEqual([name, BPF_MAP_TYPE.PERCPU_ARRAY, 4, 1, true]);
    }
    // The slot, then the written word: sum 8 + 8, hist 67 words + 8.
    expect([byName.get('@s')!.valueSize, byName.get('@h')!.valueSize]).toEqual([16, 68 * 8]);
    expect(byName.get('@k')!.bpfType).toBe(BPF_MAP_TYPE.PERCPU_HASH);
    expect(byName.get('@v')!.bpfType).toBe(BPF_MAP_TYPE.HASH);
  });

  it('never fill and never copy the zero map', () => {
    const { code } = compileStages('xdp:eth0 { @c = count(); @s = sum(pkt.len); @h = hist(pkt.len) }', env);
    expect(code.internalMaps.map((m) => m.role)).not.toContain('zero');
    expect(code.internalMaps.map((m) => m.role)).not.toContain('full');
  });

  it('keep their one entry whatever --map-entries says', () => {
    const { compiled } = compileStages(program, env);
    applyMapEntries(compiled, 64);
    const entries = new Map(compiled.maps.map((m) => [m.displayName, m.maxEntries]));
    expect([entries.get('@s'), entries.get('@h'), entries.get('@k'), entries.get('@v')]).toEqual([1, 1, 64, 64]);
  });

  it('read as empty until some CPU wrote them, and zero() keeps the entry', () => {
    const map = compileStages('xdp:eth0 { @s = sum(pkt.len) }', env).code.maps[0];
    const cpus = 3;
    const values = Buffer.alloc(16 * cpus);
    const raw = { keys: Buffer.alloc(4), values, count: 1 };
    expect(writtenEntries(map, raw, cpus).count).toBe(0);
    values.writeBigUInt64LE(1n, 2 * 16 + writtenWordOffset(map));
    expect(writtenEntries(map, raw, cpus).count).toBe(1);
    const zeroed = zeroedWrittenValue(map, cpus);
    expect(zeroed.length).toBe(16 * cpus);
    expect(writtenEntries(map, { ...raw, values: zeroed }, cpus).count).toBe(1);
    expect(zeroed.readBigUInt64LE(0)).toBe(0n);
  });
});
