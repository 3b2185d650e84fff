// What a bpftrace user types first: positional parameters in expressions, and the
// diagnostics for bpftrace's probe kinds nettrace does not have.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import { substitutePositional } from '../../../src/check/positional.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';
import type { Expr } from '../../../src/model/ast.js';
import { parseArgs } from '../../../src/cli/args.js';

const env: KernelEnv = { interfaces: () => ['eth0', 'lo'] };

function diagnose(text: string, params: string[] = []): Diagnostic[] {
  try {
    check(substitutePositional(parse(text), params), env);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  return [];
}

/** The value `@x = EXPR` holds after substitution, as [kind, value]. */
function valueOf(expr: string, params: string[]): [string, string] {
  const program = substitutePositional(parse(`BEGIN { @x = ${expr} }`), params);
  const stmt = program.blocks[0]!.body[0]!;
  if (stmt.kind !== 'MapAssign') throw new Error('expected an assignment');
  const e = stmt.value as Expr & { value?: unknown };
  return [e.kind, String(e.value)];
}

describe('positional parameters in expressions', () => {
  it.each([
    ['$1', ['53'], ['Int', '53']],
    ['$1', ['0x10'], ['Int', '16']],
    ['$1', ['-1'], ['Int', '-1']],
    ['$2', ['53', 'eth0'], ['Str', 'eth0']],
    ['$1', ['12abc'], ['Str', '12abc']],
    ['$3', ['a'], ['Int', '0']],
    ['$#', ['a', 'b', 'c'], ['Int', '3']],
    ['$#', [], ['Int', '0']],
  ] as const)('%s with %j is %j', (expr, params, expected) => {
    expect(valueOf(expr, [...params])).toEqual(expected);
  });

  it('a predicate compares with $1; a string parameter is a string', () => {
    expect(diagnose('xdp:lo / udp.dport == $1 / { @x = count() }', ['53'])).toEqual([]);
    expect(diagnose('BEGIN { printf("%s %d\\n", $2, $# + 1) }', ['1', 'eth0'])).toEqual([]);
  });

  it('a positional parameter cannot be assigned', () => {
    const text = 'BEGIN { $1 = 3 }';
    const d = diagnose(text);
    expect(d.map((x) => [x.code, x.message, text.slice(x.span!.start.offset, x.span!.end.offset), x.hints])).toEqual([
      ['NT0305', '$1 is a positional parameter, set on the command line; it cannot be assigned', '$1', ['copy it into a variable of your own: $port = $1']],
    ]);
  });
});

describe("bpftrace's probe kinds that nettrace does not have", () => {
  it.each([
    ['uprobe:/bin/bash:readline { @x = count() }', 'probe kind uprobe (user-space functions) is not supported: nettrace probes networking', 'uprobe:/bin/bash:readline'],
    ['uretprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc { @x = count() }', 'probe kind uretprobe (user-space function returns) is not supported: nettrace probes networking', 'uretprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc'],
    ['usdt:/usr/bin/python3:function__entry { @x = count() }', 'probe kind usdt (user-space static tracepoints) is not supported: nettrace probes networking', 'usdt:/usr/bin/python3:function__entry'],
    ['profile:hz:99 { @x = count() }', 'probe kind profile (timed samples of every CPU) is not supported: nettrace probes networking', 'profile:hz:99'],
  ])('%s', (text, message, underlined) => {
    const d = diagnose(text);
    expect(d.map((x) => [x.code, x.message, text.slice(x.span!.start.offset, x.span!.end.offset)])).toEqual([['NT0201', message, underlined]]);
    expect(d[0]!.hints[0]).toMatch(/^it traces packets \(xdp, tc\)/);
  });

  it('a misspelt kind still gets its did-you-mean', () => {
    expect(diagnose('kprobee:tcp_sendmsg { @x = count() }')[0]!.hints[0]).toBe("did you mean 'kprobe'?");
  });
});

describe('options a bpftrace user reaches for', () => {
  it('-q is quiet: no Attaching line', () => {
    expect(parseArgs(['-q', '-e', 'BEGIN {}']).quiet).toBe(true);
    expect(parseArgs(['-e', 'BEGIN {}']).quiet).toBeUndefined();
  });
});

describe('tracefs hints', () => {
  it('not mounted: mounting needs root, or a kernel without tracefs', async () => {
    const { tracefsProblem } = await import('../../../src/tracefs/root.js');
    expect(tracefsProblem([], false)).toBe(
      'tracefs is not mounted at /sys/kernel/tracing, and mounting it needs root (CAP_SYS_ADMIN): run sudo nettrace ..., or mount -t tracefs nodev /sys/kernel/tracing as root',
    );
    expect(tracefsProblem([{ point: '/sys/kernel/tracing', type: 'sysfs' }], true)).toBe('tracefs is not mounted at /sys/kernel/tracing and mounting it failed (a kernel without tracefs?)');
  });
});
