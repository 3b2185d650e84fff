// str() and ntop(), the bpftrace functions for strings and addresses (issue 11): their
// types, their diagnostics (code and span), and what codegen calls for them. Values read
// in the kernel, compared with bpftrace's output, are in test/compat/.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import { compileStages } from '../../../src/compile.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { Expr } from '../../../src/model/ast.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { typeName } from '../../../src/model/types.js';
import { BPF_FUNC } from '../../../src/model/uapi.js';
import { parse } from '../../../src/parser/index.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };

/** The type of the value assigned to @v in `PROBE { @v = EXPR }`. */
function typeOf(expr: string, probe = 'BEGIN'): string {
  const ast = parse(`${probe} { @v = ${expr} }`);
  const checked = check(ast, env);
  return typeName(checked.types.get((ast.blocks[0].body[0] as { value: Expr }).value)!);
}

/** [code, underlined text] of each diagnostic. */
function found(text: string): [string, string][] {
  let diagnostics: Diagnostic[] = [];
  try {
    check(parse(text), env);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    diagnostics = e.diagnostics;
  }
  return diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.span ? text.slice(d.span.start.offset, d.span.end.offset) : '']);
}

describe('str()', () => {
  it('is 64 bytes of a char pointer, a string itself, and n + 1 bytes with a length', () => {
    expect(typeOf('str(0)')).toBe('string[64]');
    expect(typeOf('str(comm)')).toBe('string[16]');
    expect(typeOf('str(comm, 4)')).toBe('string[5]');
    expect(typeOf('str(comm, 40)')).toBe('string[16]');
    expect(typeOf('str(0, 10)')).toBe('string[11]');
    expect(typeOf('str(0, 0)')).toBe('string[1]');
  });

  it('says what is wrong, where', () => {
    expect(found('BEGIN { @x = str() }')).toEqual([['NT0304', 'str()']]);
    expect(found('BEGIN { @x = str(1, 2, 3) }')).toEqual([['NT0304', 'str(1, 2, 3)']]);
    expect(found('BEGIN { @x = str(1 == 1) }')).toEqual([['NT0305', '1 == 1']]);
    expect(found('BEGIN { @x = str(0, pid) }')).toEqual([['NT0311', 'pid']]);
    expect(found('BEGIN { @x = str(0, 201) }')).toEqual([['NT0311', '201']]);
  });

  it('is no longer taken for sum()', () => {
    expect(found('BEGIN { @x = stri(comm) }')[0][0]).toBe('NT0303');
    expect(found('BEGIN { printf("%s\\n", str(comm)) }')).toEqual([]);
  });

  it('reads a pointer as kernel memory first, then as user memory; shortens a string with one read', () => {
    const pointer = compileStages('BEGIN { @[str(nsecs)] = count() }', env);
    expect(pointer.compiled.object.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(pointer.code.ir).toContain(`inttoptr (i64 ${BPF_FUNC.probe_read_kernel_str} to`);
    expect(pointer.code.ir).toContain(`inttoptr (i64 ${BPF_FUNC.probe_read_user_str} to`);
    const shorter = compileStages('BEGIN { @[str(comm, 3)] = count() }', env);
    expect(shorter.code.ir).toContain(`inttoptr (i64 ${BPF_FUNC.probe_read_kernel_str} to`);
    expect(shorter.code.ir).not.toContain(`inttoptr (i64 ${BPF_FUNC.probe_read_user_str} to`);
    const same = compileStages('BEGIN { @[str(comm)] = count() }', env);
    expect(same.code.ir).not.toContain(`inttoptr (i64 ${BPF_FUNC.probe_read_kernel_str} to`);
  });
});

describe('ntop()', () => {
  it('is an IPv4 address of an integer, and the address itself of an address', () => {
    expect(typeOf('ntop(0x0100007f)')).toBe('ipv4 (u32)');
    expect(typeOf('ntop(2, 0x0100007f)')).toBe('ipv4 (u32)');
    expect(typeOf('ntop(ip.src)', 'xdp:eth0')).toBe('ipv4 (u32)');
    expect(typeOf('ntop(ip6.src)', 'xdp:eth0')).toBe('ipv6 address');
    expect(typeOf('ntop(10, ip6.dst)', 'xdp:eth0')).toBe('ipv6 address');
  });

  it('swaps a plain integer into the host-order address type, and leaves an address alone', () => {
    const plain = compileStages('BEGIN { @[ntop(pid)] = count() }', env);
    expect(plain.code.ir).toContain('call i32 @llvm.bswap.i32(');
    const swaps = (program: string) => compileStages(program, env).code.ir.split('call i32 @llvm.bswap.i32(').length;
    expect(swaps('xdp:eth0 { @[ntop(ip.src)] = count() }')).toBe(swaps('xdp:eth0 { @[ip.src] = count() }'));
  });

  it('says what is wrong, where', () => {
    expect(found('BEGIN { @x = ntop(comm) }')).toEqual([['NT0305', 'comm']]);
    expect(found('BEGIN { @x = ntop(3, 1) }')).toEqual([['NT0311', '3']]);
    expect(found('BEGIN { @x = ntop(10, 1) }')).toEqual([['NT0305', '1']]);
    expect(found('xdp:eth0 { @x = ntop(2, ip6.src) }')).toEqual([['NT0305', 'ip6.src']]);
    expect(found('BEGIN { @x = ntop() }')).toEqual([['NT0304', 'ntop()']]);
  });
});

describe('strncmp() and sizeof()', () => {
  it('strncmp() is a u64 of two strings and a constant; sizeof() a u64 of anything typed', () => {
    expect(typeOf('strncmp(comm, "nett", 4)')).toBe('u64');
    expect(typeOf('sizeof(comm)')).toBe('u64');
  });

  it('say what is wrong, where', () => {
    expect(found('BEGIN { @x = strncmp(comm, 1, 4) }')).toEqual([['NT0305', '1']]);
    expect(found('BEGIN { @x = strncmp(comm, "a", pid) }')).toEqual([['NT0311', 'pid']]);
    expect(found('BEGIN { @x = strncmp(comm, "a", 300) }')).toEqual([['NT0311', '300']]);
    expect(found('BEGIN { @x = strncmp(comm, "a") }')).toEqual([['NT0304', 'strncmp(comm, "a")']]);
    expect(found('BEGIN { @x = sizeof() }')).toEqual([['NT0304', 'sizeof()']]);
  });

  it('strncmp() compares at most n bytes, and no byte past both strings', () => {
    const compares = (program: string) => compileStages(program, env).code.ir.split('icmp ne i64').length - 1;
    const none = compares('BEGIN { @x = strncmp(comm, "nett", 0) }');
    expect(compares('BEGIN { @x = strncmp(comm, "nett", 4) }') - none).toBe(4);
    expect(compares('BEGIN { @x = strncmp("ab", "abc", 200) }') - none).toBe(4);
  });

  it('sizeof() is a constant of the argument\'s type', () => {
    const { code } = compileStages('BEGIN { @a = sizeof(comm); @b = sizeof((u16)1) }', env);
    expect(code.ir).toContain('store i64 16');
    expect(code.ir).toContain('store i64 2');
  });
});

describe('probe, cgroup and curtask', () => {
  // Their values in tracepoints, against bpftrace's: test/compat/programs/33-probe-builtin.bt, 34-cgroup-curtask.bt.
  it('probe is a 64-byte string everywhere; cgroup and curtask are refused outside tracing probes', () => {
    expect(typeOf('probe')).toBe('string[64]');
    expect(typeOf('probe', 'xdp:eth0')).toBe('string[64]');
    expect(found('xdp:eth0 { @x = cgroup }')).toEqual([['NT0306', 'cgroup']]);
    expect(found('BEGIN { @x = curtask }')).toEqual([['NT0306', 'curtask']]);
  });

  it('probe is written into the program as bpftrace names the probe', () => {
    const { code } = compileStages('BEGIN { @[probe] = count() }', env);
    // "BEGIN" as one little-endian 4-byte store and one byte.
    expect(code.ir).toContain(`store i32 ${Buffer.from('BEGI').readUInt32LE(0)}`);
  });
});

describe('print() of a value', () => {
  it('is a printf("%s\\n") record of any value; a map keeps the map form', () => {
    expect(found('BEGIN { print(1 + 2); print(comm); print(ntop(1)); print("x") }')).toEqual([]);
    expect(found('BEGIN { print(1, 2) }')).toEqual([['NT0304', '2']]);
    expect(found('BEGIN { print(nope) }')).toEqual([['NT0301', 'nope']]);
    const { code } = compileStages('BEGIN { print(pid) }', env);
    expect(code.ir).toContain(`inttoptr (i64 ${BPF_FUNC.ringbuf_output} to`);
  });
});
