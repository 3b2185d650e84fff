// The checker on kernel data, against a small fake kernel: a BTF blob built here and
// tracepoint format files from this kernel. No privileges: the live machine is not asked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Btf } from '../../../src/btf/reader.js';
import type { CheckedProgram } from '../../../src/model/checked.js';
import { check } from '../../../src/check/index.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import type { KernelRead } from '../../../src/model/kernel-read.js';
import { compile } from '../../../src/compile.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';
import type { Expr } from '../../../src/model/ast.js';
import { BPF_ATTACH_TYPE, BPF_PROG_TYPE } from '../../../src/model/uapi.js';
import { BtfBuilder } from './build-btf.js';

function fakeKernel(): Btf {
  const b = new BtfBuilder();
  const u8 = b.int('unsigned char', 1);
  const u16 = b.int('short unsigned int', 2);
  const u32 = b.int('unsigned int', 4);
  const s32 = b.int('int', 4, { signed: true });
  const char = b.int('char', 1, { signed: true, char: true });
  const be16 = b.typedef('__be16', u16);
  const be32 = b.typedef('__be32', u32);
  const voidPtr = b.ptr(0);
  const netdev = b.struct('net_device', 32, [
    { name: 'name', type: b.array(char, u32, 16), bitOffset: 0 },
    { name: 'ifindex', type: s32, bitOffset: 128 },
  ]);
  const common = b.struct('sock_common', 8, [
    { name: 'skc_daddr', type: be32, bitOffset: 0 },
    { name: 'skc_dport', type: be16, bitOffset: 32 },
    { name: 'skc_num', type: u16, bitOffset: 48 },
  ]);
  const sock = b.struct('sock', 16, [{ name: '__sk_common', type: common, bitOffset: 0 }]);
  const sockPtr = b.ptr(sock);
  const headers = b.struct('', 8, [
    { name: 'mac_header', type: u16, bitOffset: 0 },
    { name: 'network_header', type: u16, bitOffset: 16 },
    { name: 'protocol', type: be16, bitOffset: 32 },
  ]);
  const skb = b.struct('sk_buff', 64, [
    { name: 'sk', type: sockPtr, bitOffset: 0 },
    { name: 'dev', type: b.ptr(netdev), bitOffset: 64 },
    { name: 'len', type: u32, bitOffset: 128 },
    { name: 'pkt_type', type: u8, bitOffset: 163, bitSize: 3 },
    { name: '', type: headers, bitOffset: 192 },
    { name: 'head', type: b.ptr(u8), bitOffset: 256 },
  ]);
  const skbPtr = b.ptr(skb);
  const reason = b.enum('skb_drop_reason', 4, [['SKB_CONSUMED', 1], ['SKB_DROP_REASON_NO_SOCKET', 3]]);
  b.typedef('btf_trace_kfree_skb', b.ptr(b.funcProto(0, [['', voidPtr], ['', skbPtr], ['', reason]])));
  b.func('__traceiter_kfree_skb', b.funcProto(s32, [['__data', voidPtr], ['skb', skbPtr], ['reason', reason]]));
  b.func('tcp_v4_rcv', b.funcProto(s32, [['skb', skbPtr]]));
  const u64 = b.int('long unsigned int', 8);
  // x86-64's struct pt_regs: the registers kprobes read arguments from, at their real offsets.
  const regs = ['r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8', 'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss'];
  b.struct('pt_regs', regs.length * 8, regs.map((name, i) => ({ name, type: u64, bitOffset: i * 64 })));
  const u16arg = b.int('short unsigned int', 2);
  b.func('seven_args', b.funcProto(s32, ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => [n, n === 'b' ? u16arg : u32] as [string, number])));
  return new Btf(b.build());
}

const fixture = (name: string) => readFileSync(new URL(`../tracefs/fixtures/${name}.format`, import.meta.url), 'utf8');

/** net_dev_queue and a fake twin whose `len` is 16 bits, to make a wildcard disagree. */
const FORMATS: Record<string, string> = {
  'skb:kfree_skb': fixture('skb-kfree_skb'),
  'net:net_dev_queue': fixture('net-net_dev_queue'),
  'net:net_dev_fake': fixture('net-net_dev_queue').replace('name: net_dev_queue', 'name: net_dev_fake').replace('unsigned int len;\toffset:16;\tsize:4;', 'unsigned short len;\toffset:16;\tsize:2;'),
};

const btf = fakeKernel();
const env: KernelEnv = {
  interfaces: () => ['eth0'],
  tracepoints: () => Object.keys(FORMATS),
  tracepointFormat: (c, n) => FORMATS[`${c}:${n}`],
  btf: () => btf,
  kprobesAvailable: () => false,
};
/** The same kernel with kprobes. */
const kprobeEnv: KernelEnv = { ...env, kprobesAvailable: () => true };

function checked(text: string): CheckedProgram {
  return check(parse(text), env);
}

function errors(text: string): Diagnostic[] {
  try {
    checked(text);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected diagnostics');
}

/** The key expressions of the program's first map assignment. */
function keys(c: CheckedProgram): Expr[] {
  const stmt = c.ast.blocks[0].body[0];
  if (stmt.kind !== 'MapAssign') throw new Error('not a map assignment');
  return stmt.target.keys;
}

function readOf(c: CheckedProgram, e: Expr): KernelRead {
  const perProbe = c.kernelReads!.get(e)!;
  return [...perProbe.values()][0];
}

describe('rawtracepoint args typed by BTF', () => {
  it('args.skb->len: a u32 read 16 bytes into the sk_buff', () => {
    const c = checked('rawtracepoint:kfree_skb { @[args.skb->len] = count() }');
    const [len] = keys(c);
    expect(c.types.get(len)).toEqual({ kind: 'int', bits: 32, signed: false });
    expect(readOf(c, len)).toEqual({
      kind: 'deref',
      pointer: { read: { kind: 'arg', index: 0, size: 8, as: { kind: 'int', signed: false } } },
      offset: 16,
      size: 4,
      as: { kind: 'int', signed: false },
    });
  });

  it('a bitfield reads the bytes that hold it, then shifts', () => {
    const c = checked('rawtracepoint:kfree_skb { @[args.skb->pkt_type] = count() }');
    expect(readOf(c, keys(c)[0])).toMatchObject({ kind: 'deref', offset: 20, size: 1, as: { kind: 'int', signed: false, bitOffset: 3, bitSize: 3 } });
  });

  it('pointer chains and embedded structs; __be16 is read in host order', () => {
    const c = checked('rawtracepoint:kfree_skb { @[args.skb->sk->__sk_common.skc_dport, args.skb.dev.name, args.skb->sk->__sk_common.skc_daddr] = count() }');
    const [dport, name, daddr] = keys(c);
    expect(c.types.get(dport)).toEqual({ kind: 'int', bits: 16, signed: false });
    expect(readOf(c, dport)).toMatchObject({ kind: 'deref', offset: 4, size: 2, as: { bigEndian: true }, pointer: { read: { kind: 'deref', offset: 0, size: 8 } } });
    expect(c.types.get(name)).toEqual({ kind: 'str', size: 16 });
    expect(c.types.get(daddr)).toEqual({ kind: 'int', bits: 32, signed: false, show: 'ipv4' });
  });

  it('an enum argument prints by name', () => {
    const c = checked('rawtracepoint:kfree_skb { @[args.reason] = count() }');
    const t = c.types.get(keys(c)[0]);
    expect(t).toMatchObject({ kind: 'int', bits: 32, show: 'enum', enum: { name: 'enum skb_drop_reason', names: { '1': 'SKB_CONSUMED', '3': 'NO_SOCKET' } } });
  });

  it('the packet model through an sk_buff, with offsets from BTF (anonymous members too)', () => {
    const c = checked('rawtracepoint:kfree_skb { @[args.skb.ip.src, args.skb.tcp] = count() }');
    const [src, hasTcp] = keys(c);
    expect(c.types.get(src)).toEqual({ kind: 'int', bits: 32, signed: false, show: 'ipv4' });
    expect(readOf(c, src)).toMatchObject({ kind: 'skb', header: 'ip', field: 'src', layout: { len: 16, head: 32, protocol: 28, networkHeader: 26, macHeader: 24 } });
    expect(c.types.get(hasTcp)).toEqual({ kind: 'bool' });
  });

  it('compiles to a BPF object', () => {
    const compiled = compile('rawtracepoint:kfree_skb /args.skb.udp.dport == 53/ { @[args.skb->dev->name, args.skb->pkt_type, args.reason] = count() }', env);
    expect(compiled.object.length).toBeGreaterThan(0);
    expect(compiled.programs[0].probe).toMatchObject({ section: 'tp_btf/kfree_skb', attachBtfName: 'kfree_skb', expectedAttachType: BPF_ATTACH_TYPE.TRACE_RAW_TP });
  });
});

describe('kernel data diagnostics', () => {
  it('an unknown struct field: code, span on the name, the closest fields', () => {
    const [d] = errors('rawtracepoint:kfree_skb { @[args.skb->lne] = count() }');
    expect(d.code).toBe('NT0302');
    expect(d.message).toBe("struct sk_buff has no field 'lne'");
    expect(d.span?.start.column).toBe(39);
    expect(d.span?.end.column).toBe(42);
    expect(d.hints[0]).toBe('closest fields: len');
  });

  it('a struct is not a value; args alone is not a value', () => {
    expect(errors('rawtracepoint:kfree_skb { @[args.skb->sk->__sk_common] = count() }')[0]).toMatchObject({ code: 'NT0305', message: "'__sk_common' is struct sock_common: read one of its fields" });
    expect(errors('rawtracepoint:kfree_skb { @[args] = count() }')[0]).toMatchObject({ code: 'NT0305', hints: ['args of rawtracepoint:kfree_skb: skb, reason'] });
  });

  it('fields through something that is not a pointer', () => {
    expect(errors('tracepoint:skb:kfree_skb { @[args.protocol.x] = count() }')[0]).toMatchObject({ code: 'NT0305', message: 'u16 has no fields' });
  });

  it('a wildcard whose matches give one expression two types', () => {
    const d = errors('tracepoint:net:net_dev_* { @[args.len] = count() }');
    expect(d[0]).toMatchObject({ code: 'NT0305', message: 'this is u32 in tracepoint:net:net_dev_queue but u16 in tracepoint:net:net_dev_fake' });
  });

  it('casts: to a struct the kernel has, or a diagnostic', () => {
    const c = checked('tracepoint:skb:kfree_skb { @[((struct sk_buff *)args.skbaddr)->len] = count() }');
    expect(c.types.get(keys(c)[0])).toEqual({ kind: 'int', bits: 32, signed: false });
    expect(errors('tracepoint:skb:kfree_skb { @[((struct nope *)args.skbaddr)->len] = count() }')[0]).toMatchObject({ code: 'NT0301', message: 'this kernel has no struct nope' });
  });

  it('fentry: args from the function prototype; retval only on fexit', () => {
    expect(checked('fexit:tcp_v4_rcv { @[retval, args.skb->len] = count() }').blocks[0].probes[0]).toMatchObject({ kindName: 'fexit', expectedAttachType: BPF_ATTACH_TYPE.TRACE_FEXIT, attachBtfName: 'tcp_v4_rcv' });
    expect(errors('fentry:tcp_v4_rcv { @[retval] = count() }')[0]).toMatchObject({ code: 'NT0306' });
  });

  it('kprobes on a kernel without them: the body is checked and the probe refused', () => {
    const ds = errors('kprobe:tcp_v4_rcv { @[args.skb->lenn] = count() }');
    expect(ds.map((d) => d.code).sort()).toEqual(['NT0206', 'NT0302']);
    expect(ds.find((d) => d.code === 'NT0206')!.message).toMatch(/^this kernel has no kprobes/);
  });

  it('kprobes where the kernel has them: arguments from the registers of struct pt_regs', () => {
    const c = check(parse('kretprobe:seven_args { @[args.a, args.b, arg5, retval] = count() }'), kprobeEnv);
    expect(c.blocks[0].probes[0]).toMatchObject({ kindName: 'kretprobe', progType: BPF_PROG_TYPE.KPROBE, context: 'kprobe', attach: { kind: 'kprobe', func: 'seven_args', retprobe: true } });
    const [a, b, arg5, retval] = keys(c);
    // di (112), si (104), r9 (64), ax (80); a u16 argument is the low two bytes of its register.
    expect(readOf(c, a)).toEqual({ kind: 'register', offset: 112, size: 4, as: { kind: 'int', signed: false } });
    expect(readOf(c, b)).toEqual({ kind: 'register', offset: 104, size: 2, as: { kind: 'int', signed: false } });
    expect(readOf(c, arg5)).toEqual({ kind: 'register', offset: 64, size: 8, as: { kind: 'int', signed: false } });
    expect(readOf(c, retval)).toEqual({ kind: 'register', offset: 80, size: 4, as: { kind: 'int', signed: true } });
    expect(c.types.get(arg5)).toEqual({ kind: 'int', bits: 64, signed: false });
  });

  it('kprobe arguments the registers do not hold are diagnosed with a hint', () => {
    let ds: Diagnostic[] = [];
    try {
      check(parse('kprobe:seven_args { @[args.g] = count(); @x[arg6] = count() }'), kprobeEnv);
    } catch (e) {
      ds = (e as DiagnosticError).diagnostics;
    }
    expect(ds.map((d) => d.code)).toEqual(['NT0305', 'NT0306']);
    expect(ds[0].hints).toContain('fentry:seven_args reads every argument');
    expect(ds[1].message).toContain("'arg6' does not exist in kprobe:seven_args");
  });

  it('arg0..argN in BTF probes are the context slots; elsewhere a diagnostic', () => {
    const c = checked('rawtracepoint:kfree_skb { @[arg1] = count() }');
    expect(readOf(c, keys(c)[0])).toEqual({ kind: 'arg', index: 1, size: 8, as: { kind: 'int', signed: false } });
    expect(errors('tracepoint:skb:kfree_skb { @[arg0] = count() }')[0]).toMatchObject({ code: 'NT0306' });
  });

  it('a kprobe compiles to a kprobe program in its own section', () => {
    const compiled = compile('kprobe:tcp_v4_rcv { @[args.skb->len] = count() }', kprobeEnv);
    expect(compiled.programs.map((p) => [p.section, p.probe.progType])).toEqual([['kprobe/tcp_v4_rcv/prog0', 2]]);
  });

  it('unknown tracepoints, raw tracepoints and functions: did you mean', () => {
    expect(errors('tracepoint:skb:kfree_skbb { @ = count() }')[0]).toMatchObject({ code: 'NT0204', hints: ["did you mean 'tracepoint:skb:kfree_skb'?", "list them: nettrace -l 'tracepoint:skb:*'"] });
    expect(errors('rawtracepoint:kfree_sk { @ = count() }')[0]).toMatchObject({ code: 'NT0204', hints: ["did you mean 'rawtracepoint:kfree_skb'?", "list them: nettrace -l 'rawtracepoint:*'"] });
    expect(errors('fentry:tcp_v4_rc { @ = count() }')[0]).toMatchObject({ code: 'NT0205' });
  });

  it('one mistake in a block with many probes is reported once', () => {
    const ds = errors('tracepoint:net:net_dev_* { @[nope] = count() }');
    expect(ds.filter((d) => d.code === 'NT0301')).toHaveLength(1);
  });
});
