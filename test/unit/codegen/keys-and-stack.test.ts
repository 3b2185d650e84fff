// Issue 12: map keys share stack between statements, and a new key of a small
// aggregation is made on the stack rather than copied from the zero map.
import { describe, expect, it } from 'vitest';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { compileStages } from '../../../src/compile.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };

describe('map keys and the stack', () => {
  it('100 string-keyed statements in one block fit (each key ends with its statement, early exits included)', () => {
    const body = Array.from({ length: 100 }, (_, i) => `@m${i % 50}[comm, ${i}] = count();`).join(' ');
    expect(compileStages(`BEGIN { ${body} }`, env).compiled.object.length).toBeGreaterThan(0);
  });

  it('100 statements keyed by a packet field that may be missing fit', () => {
    const body = Array.from({ length: 100 }, (_, i) => `@m${i % 50}[ip.src] = count();`).join(' ');
    expect(compileStages(`xdp:eth0 { ${body} }`, env).compiled.object.length).toBeGreaterThan(0);
  });

  it('count, sum, avg, min, max and stats need no zero map; keyed hist and lhist still copy it', () => {
    const small = compileStages('xdp:eth0 { @c[ip.src] = count(); @s = sum(pkt.len); @a = avg(pkt.len); @mi = min(pkt.len); @ma = max(pkt.len); @st = stats(pkt.len) }', env);
    expect(small.code.internalMaps.map((m) => m.role)).not.toContain('zero');
    const hist = compileStages('xdp:eth0 { @h[ip.src] = hist(pkt.len); @l[ip.src] = lhist(pkt.len, 0, 1500, 100) }', env);
    expect(hist.code.internalMaps.map((m) => m.role)).toContain('zero');
    // Keyless ones update their one-entry array in place (keyless-maps.test.ts).
    const keyless = compileStages('xdp:eth0 { @h = hist(pkt.len); @l = lhist(pkt.len, 0, 1500, 100) }', env);
    expect(keyless.code.internalMaps.map((m) => m.role)).not.toContain('zero');
  });
});
