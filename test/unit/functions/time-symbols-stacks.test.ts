// issue 11's last functions and builtins (time, strftime, elapsed, username, ksym, kaddr,
// kstack, macaddr, buf, cat, system, func): their types, their diagnostics (code and
// span), what codegen calls for them, and how user space prints their values. Output
// compared with bpftrace 0.17 on the kernel is test/kernel/bpftrace-habits/nbf-functions.test.ts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import { compileStages } from '../../../src/compile.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { Expr } from '../../../src/model/ast.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { typeName, type IntType, type Type } from '../../../src/model/types.js';
import { BPF_FUNC, BPF_MAP_TYPE } from '../../../src/model/uapi.js';
import { parse } from '../../../src/parser/index.js';
import { useKallsymsFile } from '../../../src/util/kallsyms.js';
import { formatValue } from '../../../src/format/values.js';
import { formatWallClock } from '../../../src/format/strftime.js';
import { kernelStackText, useKernelStackReader } from '../../../src/format/kernel-stacks.js';
import { formatPrintf } from '../../../src/format/printf-text.js';
import { parseFormat, type FormatPiece } from '../../../src/events/format-string.js';
import { unsafeCallRefusals } from '../../../src/runtime/unsafe-calls.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };
const queueFormat = readFileSync(new URL('../tracefs/fixtures/net-net_dev_queue.format', import.meta.url), 'utf8');
const tracingEnv: KernelEnv = { ...env, tracepoints: () => ['net:net_dev_queue'], tracepointFormat: (c, n) => (`${c}:${n}` === 'net:net_dev_queue' ? queueFormat : undefined) };

const KALLSYMS = ['ffffffff81000000 T _stext', 'ffffffff81000000 T _text', 'ffffffff82035b40 T tcp_v4_rcv', 'ffffffff82036000 T tcp_v4_early_demux', 'ffffffffc0000000 t veth_xmit\t[veth]', ''].join('\n');
let savedTz: string | undefined;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'nbf-'));
  writeFileSync(join(dir, 'kallsyms'), KALLSYMS);
  useKallsymsFile(join(dir, 'kallsyms'));
  savedTz = process.env.TZ;
  process.env.TZ = 'UTC';
});
afterAll(() => {
  useKallsymsFile('/proc/kallsyms');
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

function typeOf(expr: string, probe = 'BEGIN'): Type {
  const ast = parse(`${probe} { @v = ${expr} }`);
  return check(ast, env).types.get((ast.blocks[0].body[0] as { value: Expr }).value)!;
}

/** [code, underlined text, first hint] of each error. */
function found(text: string): [string, string, string][] {
  let diagnostics: Diagnostic[] = [];
  try {
    check(parse(text), env);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    diagnostics = e.diagnostics;
  }
  return diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.span ? text.slice(d.span.start.offset, d.span.end.offset) : '', d.hints?.[0] ?? '']);
}

const pieces = (format: string) => parseFormat(format) as FormatPiece[];

describe('types', () => {
  it('gives each value the type that prints it', () => {
    expect(typeName(typeOf('strftime("%H", nsecs)'))).toBe('strftime (u64)');
    expect(typeName(typeOf('ksym(0)'))).toBe('ksym (u64)');
    expect(typeName(typeOf('kaddr("tcp_v4_rcv")'))).toBe('u64');
    expect(typeName(typeOf('username'))).toBe('username (u32)');
    expect(typeName(typeOf('elapsed'))).toBe('u64');
    expect(typeName(typeOf('macaddr(0)'))).toBe('mac address');
    expect(typeName(typeOf('macaddr(eth.src)', 'xdp:eth0'))).toBe('mac address');
    expect(typeName(typeOf('buf(comm, 4)'))).toBe('buffer[4]');
    expect(typeOf('strftime("%H", nsecs)')).toMatchObject({ timeFormat: { format: '%H' } });
  });
});

describe('diagnostics', () => {
  it('says what is wrong, where', () => {
    expect(found('BEGIN { @ = kaddr("tcp_v4_rvc") }')).toEqual([['NT0350', '"tcp_v4_rvc"', "did you mean 'tcp_v4_rcv'?"]]);
    expect(found('BEGIN { @ = kaddr(comm) }')).toEqual([['NT0311', 'comm', '']]);
    expect(found('xdp:eth0 { @[kstack] = count() }')).toEqual([
      ['NT0306', 'kstack', 'kstack exists in tracepoint, rawtracepoint, fentry/fexit and kprobe probes: the kernel lets only tracing programs take stacks'],
    ]);
    expect(found('xdp:eth0 { @[kstack(3)] = count() }')[0].slice(0, 2)).toEqual(['NT0306', 'kstack(3)']);
    expect(found('xdp:eth0 { printf("%s\\n", func) }')).toEqual([
      ['NT0306', 'func', "func is the kernel function of a kprobe, kretprobe, fentry or fexit probe; tracepoints have none (use probe)"],
    ]);
    expect(found('BEGIN { @ = strftime(comm, nsecs) }')[0].slice(0, 2)).toEqual(['NT0311', 'comm']);
    expect(found('BEGIN { @ = strftime("%H", comm) }')[0].slice(0, 2)).toEqual(['NT0305', 'comm']);
    expect(found('BEGIN { printf("%r\\n", comm) }')[0].slice(0, 2)).toEqual(['NT0305', 'comm']);
    expect(found('BEGIN { printf("%d\\n", buf(comm, 2)) }')[0].slice(0, 2)).toEqual(['NT0305', 'buf(comm, 2)']);
    expect(found('BEGIN { printf("%r\\n", buf(comm, 17)) }')[0].slice(0, 2)).toEqual(['NT0311', '17']);
    expect(found('BEGIN { printf("%r\\n", buf(0, 0)) }')[0].slice(0, 2)).toEqual(['NT0311', '0']);
    expect(found('BEGIN { @ = macaddr(comm) }')).toEqual([]);
    expect(found('BEGIN { @ = macaddr(1 == 1) }')[0].slice(0, 2)).toEqual(['NT0305', '1 == 1']);
    expect(found('BEGIN { time(1) }')[0].slice(0, 2)).toEqual(['NT0311', '1']);
    expect(found('BEGIN { cat("/proc/%d/x") }')).toEqual([['NT0304', 'cat("/proc/%d/x")', '']]);
    expect(found('BEGIN { system(pid) }')).toEqual([['NT0311', 'pid', 'for example: system("ss -tnp | grep pid=%d,", pid)']]);
    // One map cannot hold two strftime formats.
    expect(found('BEGIN { @[strftime("%H", nsecs)] = count(); @[strftime("%M", nsecs)] = count() }')[0][0]).toBe('NT0307');
  });
});

describe('codegen', () => {
  it('kstack calls bpf_get_stackid on a stack-trace map of 127 frames, kstack(N) on one of N; kaddr is a constant; elapsed reads the start map', () => {
    const { code, compiled } = compileStages('BEGIN { @e = elapsed; @k = kaddr("tcp_v4_rcv"); printf("%s %s\\n", username, strftime("%H", nsecs)); time() }', env);
    expect(code.ir).toContain(`${0xffffffff82035b40n - 2n ** 64n}`);
    expect(code.ir).toContain(`inttoptr (i64 ${BPF_FUNC.ktime_get_ns} to i64 ()*)`);
    expect(compiled.internalMaps.find((m) => m.role === 'start')).toMatchObject({ bpfType: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 });
    expect(compiled.printfs.map((p) => p.format)).toEqual(['%s %s\n', '%s']);
    const stacks = compileStages('tracepoint:net:net_dev_queue { @[kstack] = count(); @s[kstack(3)] = count() }', tracingEnv);
    expect(stacks.code.ir.split('\n').filter((l) => l.includes(`inttoptr (i64 ${BPF_FUNC.get_stackid} to`)).length).toBe(2);
    expect(stacks.compiled.internalMaps.filter((m) => m.role.startsWith('kstacks')).map((m) => [m.role, m.bpfType, m.keySize, m.valueSize, m.maxEntries])).toEqual([
      ['kstacks', BPF_MAP_TYPE.STACK_TRACE, 4, 127 * 8, 4096],
      ['kstacks3', BPF_MAP_TYPE.STACK_TRACE, 4, 3 * 8, 4096],
    ]);
  });

  it('cat() and system() are printf records that say what to run, refused without --unsafe', () => {
    const text = 'BEGIN { cat("/proc/%d/status", pid); system("echo %s", comm) }';
    const { compiled } = compileStages(text, env);
    expect(compiled.printfs.map((p) => [p.format, p.run?.kind])).toEqual([['/proc/%d/status', 'cat'], ['echo %s', 'system']]);
    expect(unsafeCallRefusals(compiled).map((d) => [d.code, text.slice(d.span!.start.offset, d.span!.end.offset)])).toEqual([
      ['NT0351', 'cat("/proc/%d/status", pid)'],
      ['NT0351', 'system("echo %s", comm)'],
    ]);
  });
});

describe('printing', () => {
  it('strftime prints as glibc does in the C locale, with %f for microseconds', () => {
    const ns = 1795659060n * 1_000_000_000n + 160_699_000n;
    // The same instants printed by bpftrace 0.17 and date(1) on this machine, TZ=UTC.
    expect(formatWallClock('%a %A %b %B %c', ns)).toBe('Thu Thursday Nov November Thu Nov 26 02:11:00 2026');
    expect(formatWallClock('%d %e %H %I %j %m %M %p %S %y', ns)).toBe('26 26 02 02 330 11 11 AM 00 26');
    expect(formatWallClock('%Y %Z %z %T %D %F %R %u', ns)).toBe('2026 UTC +0000 02:11:00 11/26/26 2026-11-26 02:11 4');
    expect(formatWallClock('%w %C %g %G %V %U %P %r', ns)).toBe('4 20 26 2026 48 47 am 02:11:00 AM');
    expect(formatWallClock('%W %h %k %l %s %x %X %%|%f|%N|%Q', ns)).toBe('47 Nov  2  2 1795659060 11/26/26 02:11:00 %|160699|%N|%Q');
    const day = (d: string) => BigInt(Date.parse(`${d}T12:00:00Z`)) * 1_000_000n;
    expect(['2021-01-01', '2020-12-31', '2027-01-03', '2024-12-30'].map((d) => formatWallClock('%G %V %U %W %j', day(d)))).toEqual([
      '2020 53 00 00 001',
      '2020 53 52 52 366',
      '2026 53 01 00 003',
      '2025 01 52 53 365',
    ]);
  });

  it('ksym prints the symbol an address lies in; username the passwd name', () => {
    const ksym: Type = { kind: 'int', bits: 64, signed: false, show: 'ksym' };
    expect([0xffffffff82035b40n, 0xffffffff82035b45n, 0xffffffff81000000n, 0xffffffffc0000010n, 1n, 0n].map((a) => formatValue(ksym, a))).toEqual([
      'tcp_v4_rcv',
      'tcp_v4_rcv',
      '_stext',
      'veth_xmit',
      '0x1',
      '0',
    ]);
    expect(formatValue({ kind: 'int', bits: 32, signed: false, show: 'username' }, 0n)).toBe('root');
    expect(formatValue({ kind: 'int', bits: 32, signed: false, show: 'username' }, 4_000_000_000n)).toBe('4000000000');
  });

  it('kstack prints symbol+offset frames: 8 spaces in printf, 4 in a map key, N frames with kstack(N)', () => {
    const full: IntType = { kind: 'int', bits: 64, signed: true, show: 'kstack' };
    useKernelStackReader([full], (id) => (id === 7 ? [0xffffffff82035b50n, 0xffffffff82036004n, 0xffffffff90000000n] : undefined));
    expect(kernelStackText(7n, full, 8)).toBe(`\n        tcp_v4_rcv+16\n        tcp_v4_early_demux+4\n        tcp_v4_early_demux+${0xffffffff90000000n - 0xffffffff82036000n}\n`);
    // kstack(2) reads the map that keeps two frames.
    const stack: IntType = { kind: 'int', bits: 64, signed: true, show: 'kstack', stackFrames: 2 };
    useKernelStackReader([stack], (id) => (id === 7 ? [0xffffffff82035b50n, 0xffffffff82036004n] : undefined));
    expect(formatValue(stack, 7n, 'key')).toBe('\n    tcp_v4_rcv+16\n    tcp_v4_early_demux+4\n');
    // A failed capture (bpf_get_stackid's -EFAULT) has no frames.
    expect(formatValue(stack, -14n)).toBe('\n');
  });

  it('each program reads its own stack map: readers go by the kstack types of its own compile', () => {
    // Two programs with kstack of the same depth, as two REPL programs running at once:
    // stack id 7 is a different stack in each one's map.
    const first: IntType = { kind: 'int', bits: 64, signed: true, show: 'kstack' };
    const second: IntType = { ...first };
    useKernelStackReader([first], (id) => (id === 7 ? [0xffffffff82035b50n] : undefined));
    useKernelStackReader([second], (id) => (id === 7 ? [0xffffffff82036004n] : undefined));
    expect(formatValue(first, 7n)).toBe('\n        tcp_v4_rcv+16\n');
    expect(formatValue(second, 7n)).toBe('\n        tcp_v4_early_demux+4\n');
    // A type no running program registered has no frames to show.
    expect(formatValue({ ...first }, 7n)).toBe('\n');
  });

  it('%r escapes what is not printable, %rx every byte, as bpftrace', () => {
    const buf: Type = { kind: 'bytes', size: 5, show: 'buf' };
    const value = Buffer.from('ab\tc\x00');
    expect(formatPrintf(pieces('%r|%rx|%s\n'), [{ type: buf, value }, { type: buf, value }, { type: buf, value }])).toBe('ab\\x09c\\x00|\\x61\\x62\\x09\\x63\\x00|ab\\x09c\\x00\n');
    expect(formatPrintf(pieces('%-8r|'), [{ type: buf, value: Buffer.from('ab') }])).toBe('ab      |');
  });
});
