// Codegen of value builtins and value functions, reached through their registries: the IR
// verifies, the BPF backend emits it, and it calls what it should. uid, gid and bswap()
// are the records added as one file and one registry line each.
import { describe, expect, it } from 'vitest';
import { compileStages } from '../../../src/compile.js';
import { VALUE_BUILTINS } from '../../../src/builtins/registry.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { BPF_FUNC } from '../../../src/model/uapi.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };

describe('codegen of builtins and value functions', () => {
  it('every value builtin emits in a probe that can read it', () => {
    const read = (probe: string, names: string[]) => `${probe} { printf("${names.map(() => '%s').join(' ')}\\n", ${names.join(', ')}) }`;
    const anywhere = VALUE_BUILTINS.filter((b) => b.contexts === 'all').map((b) => b.name);
    const xdp = VALUE_BUILTINS.filter((b) => b.contexts !== 'all' && b.contexts.includes('xdp')).map((b) => b.name);
    const tc = VALUE_BUILTINS.filter((b) => b.contexts !== 'all' && b.contexts.includes('skb')).map((b) => b.name);
    // childCommand: cpid is readable only with -c (NT0360 otherwise).
    const { compiled } = compileStages([read('BEGIN', anywhere), read('xdp:eth0', xdp), read('tc:eth0:egress', tc)].join('\n'), env, { childCommand: true });
    expect(compiled.object.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  });

  it('uid and gid are the two halves of one bpf_get_current_uid_gid', () => {
    const { code, compiled } = compileStages('BEGIN { @ids[uid, gid] = count() }', env);
    expect(compiled.object.length).toBeGreaterThan(0);
    expect(code.ir).toContain(`inttoptr (i64 ${BPF_FUNC.get_current_uid_gid} to i64 ()*)`);
    expect(code.ir).toMatch(/lshr i64 %\w+, 32/);
    expect(code.ir).toMatch(/and i64 %\w+, 4294967295/);
  });

  it('bswap() swaps at its argument\'s width and leaves a u8 alone', () => {
    const { code, compiled } = compileStages('BEGIN { @a = bswap((u16)pid); @b = bswap(pid); @c = bswap(nsecs); @d = bswap((u8)pid) }', env);
    expect(compiled.object.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    const calls = (bits: number) => code.ir.split('\n').filter((l) => l.includes(`call i${bits} @llvm.bswap.i${bits}(`)).length;
    expect([calls(16), calls(32), calls(64)]).toEqual([1, 1, 1]);
    expect(code.ir).not.toContain('llvm.bswap.i8');
  });

  it('bswap() stands wherever a value does in a packet probe', () => {
    const { compiled } = compileStages('xdp:eth0 { @[bswap(udp.dport), bswap(ip.src)] = count(); if (bswap((u16)pkt.len) > 1) { bswap(1) } }', env);
    expect(compiled.object.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  });
});
