// Code generation for the language core, without the kernel: the IR verifies and the
// BPF backend turns it into an object; the description tells the runtime what it needs.
import { describe, expect, it } from 'vitest';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { compileStages } from '../../../src/compile.js';
import { DiagnosticError } from '../../../src/diagnostics/diagnostic.js';

const env: KernelEnv = { interfaces: () => ['eth0', 'lo'] };

describe('codegen of the language core', () => {
  it('compiles every aggregation, map action, printf and probe kind into one object', () => {
    const { code, compiled } = compileStages(
      `BEGIN { printf("start %s %d\\n", comm, pid) }
       xdp:eth0 /udp/ {
         @c[ip.src] = count(); @s = sum(pkt.len); @a = avg(pkt.len); @mi = min(pkt.len); @ma = max(pkt.len);
         @st = stats(pkt.len); @h[udp.dport] = hist(pkt.len); @l = lhist(pkt.len, 0, 1500, 100);
         @last[udp.dport] = pkt.len; @n++; $x = (u16)pkt.len; if ($x > 100) { delete(@last[udp.dport]) }
       }
       interval:s:1 { print(@c, 5); clear(@c); zero(@s); printf("%d\\n", @n) }
       END { exit() }`,
      env,
    );
    expect(compiled.object.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(code.programs.map((p) => p.section)).toEqual(['xdp/prog0', 'xdp/prog1', 'perf_event/prog2', 'xdp/prog3']);
    expect(code.internalMaps.map((m) => m.role)).toEqual(expect.arrayContaining(['events', 'status', 'zero']));
    // The zero map is as big as the biggest slot: hist's 66 buckets and its sum.
    expect(code.internalMaps.find((m) => m.role === 'zero')!.valueSize).toBe(67 * 8);
    // User maps come first, internal maps after them, every index once.
    const indexes = [...code.maps.map((m) => m.index), ...code.internalMaps.map((m) => m.index)].sort((a, b) => a - b);
    expect(indexes).toEqual(indexes.map((_, i) => i));
    expect(code.printfs.map((p) => [p.format, p.probe, p.args.size])).toEqual([
      ['start %s %d\n', 'BEGIN', 24],
      ['%d\n', 'interval:s:1', 8],
    ]);
    const plain = code.maps.find((m) => m.displayName === '@last')!;
    expect([plain.perCpu, plain.valueSize]).toEqual([false, 8]);
    const stats = code.maps.find((m) => m.displayName === '@st')!;
    // Keyless: a one-entry per-CPU array, its slot followed by the "written" word.
    expect([stats.perCpu, stats.bpfType, stats.key.size, stats.maxEntries, stats.valueSize]).toEqual([true, 6, 4, 1, 40]);
  });

  it('a program without printf, exit or aggregations has no events, status or zero map', () => {
    const { code } = compileStages('xdp:eth0 { @x[ip.src] = pkt.len }', env);
    expect(code.internalMaps.map((m) => m.role)).not.toEqual(expect.arrayContaining(['events']));
    expect(code.internalMaps.filter((m) => ['events', 'status', 'zero'].includes(m.role))).toEqual([]);
  });

  it('many strings in one statement overflow the 512-byte stack: NT0403 on the probe', () => {
    const key = Array(20).fill('comm').join(', ');
    const text = `BEGIN { @ok = 1 } xdp:eth0 { @m[${key}] = count() }`;
    try {
      compileStages(text, env);
      expect.unreachable('the program should not fit');
    } catch (e) {
      expect(e).toBeInstanceOf(DiagnosticError);
      const d = (e as DiagnosticError).diagnostics;
      expect(d.map((x) => [x.code, text.slice(x.span!.start.offset, x.span!.end.offset)])).toEqual([['NT0403', 'xdp:eth0']]);
    }
  });

  it('statements share stack: sixty printf()s of four strings each fit', () => {
    const printfs = Array.from({ length: 60 }, () => 'printf("%s %s %s %s\\n", comm, comm, comm, comm);').join(' ');
    expect(compileStages(`BEGIN { ${printfs} }`, env).compiled.object.length).toBeGreaterThan(0);
  });
});
