// capture() without a kernel: where the checker allows it and what it says elsewhere
// (positioned diagnostics with a hint), the kernel question for xdp, the code it makes
// (two record sizes, snaplen compiled in), -w and --snaplen, and the REPL's .capture.
import { describe, expect, it } from 'vitest';
import { compileStages } from '../../../src/compile.js';
import { parseArgs } from '../../../src/cli/args.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { parseCommand } from '../../../src/repl/commands.js';
import { numberedCaptureFile } from '../../../src/capture/capture-sink.js';
import { CAPTURE_HEADER_SIZE, CAPTURE_SMALL_BYTES } from '../../../src/model/capture.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };

function found(text: string, kernel: KernelEnv = env): { code: string; text: string; hints: string[] }[] {
  try {
    compileStages(text, kernel);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d: Diagnostic) => ({ code: d.code, text: d.span ? text.slice(d.span.start.offset, d.span.end.offset) : '', hints: d.hints }));
    throw e;
  }
  return [];
}

describe('capture() in the checker', () => {
  it('is allowed without an argument in xdp and tc probes', () => {
    expect(found('xdp:eth0 { capture() }')).toEqual([]);
    expect(found('tc:eth0:egress { if (tcp.dport == 443) { capture() } }')).toEqual([]);
  });

  it('in a probe without a packet it is NT0440 on the call, with a hint', () => {
    const [d] = found('BEGIN { capture() }');
    expect(d.code).toBe('NT0440');
    expect(d.text).toBe('capture()');
    expect(d.hints.join(' ')).toMatch(/capture\(args\.skb\)/);
  });

  it('takes at most one argument', () => {
    expect(found('xdp:eth0 { capture(1, 2) }')[0].code).toBe('NT0304');
  });

  it('at xdp on a kernel without bpf_xdp_load_bytes it is NT0442, pointing at tc', () => {
    const [d] = found('xdp:eth0 { capture() }', { ...env, xdpLoadBytes: () => false });
    expect(d.code).toBe('NT0442');
    expect(d.hints.join(' ')).toMatch(/tc:IFACE:ingress/);
  });

  it('compiles snaplen in: a small record and a snaplen record, or one record when snaplen is small', () => {
    const ir = (snaplen?: number) => compileStages('xdp:eth0 { capture() }', env, { snaplen }).code.ir;
    const reserves = (text: string) => [...text.matchAll(/inttoptr \(i64 131 to .*?\)\(i8\* %\w+, i64 (\d+), i64 0\)/g)].map((m) => Number(m[1]));
    expect(reserves(ir())).toEqual([CAPTURE_HEADER_SIZE + CAPTURE_SMALL_BYTES, CAPTURE_HEADER_SIZE + 262144]);
    expect(reserves(ir(100))).toEqual([CAPTURE_HEADER_SIZE + 100]);
    const code = compileStages('xdp:eth0 { capture() }', env, { snaplen: 100 }).code;
    expect(code.captures).toEqual([{ id: 0, probe: 'xdp:eth0', direction: 'in', fromSkb: false }]);
    expect(code.snaplen).toBe(100);
    expect(code.internalMaps.map((m) => m.role)).toEqual(expect.arrayContaining(['capture', 'captureLost']));
  });
});

describe('-w, --snaplen and .capture', () => {
  it('parses -w and --snaplen, and refuses a snaplen out of range', () => {
    const o = parseArgs(['-w', '-', '--snaplen', '128', '-e', 'xdp:eth0 { capture() }']);
    expect([o.captureFile, o.snaplen]).toEqual(['-', 128]);
    expect(() => parseArgs(['--snaplen', '0', '-e', 'x'])).toThrow(/--snaplen takes a whole number from 1 to 262144/);
    expect(() => parseArgs(['--snaplen', '262145', '-e', 'x'])).toThrow(/--snaplen/);
  });

  it('.capture takes a file or off; further programs get numbered files', () => {
    expect(parseCommand('.capture /tmp/x.pcapng')).toEqual({ name: '.capture', file: '/tmp/x.pcapng' });
    expect(parseCommand('.capture off')).toEqual({ name: '.capture', file: 'off' });
    expect(() => parseCommand('.capture')).toThrow('usage: .capture FILE.pcapng|off');
    expect(numberedCaptureFile('/tmp/drops.pcapng', 3)).toBe('/tmp/drops-3.pcapng');
    expect(numberedCaptureFile('/tmp.d/drops', 3)).toBe('/tmp.d/drops-3');
  });
});
