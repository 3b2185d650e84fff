// pcap(SKB, "filter") without a kernel: a small fake BTF and this kernel's kfree_skb
// tracepoint format. The checker takes a struct sk_buff pointer (an argument or a cast
// address) in any probe, refuses anything else on the argument with a hint, and codegen
// reads the packet through the pointer with both translations (Ethernet and raw IP).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Btf } from '../../../src/btf/reader.js';
import { check } from '../../../src/check/index.js';
import { compileStages } from '../../../src/compile.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import type { Expr } from '../../../src/model/ast.js';
import { typeName } from '../../../src/model/types.js';
import { parse } from '../../../src/parser/index.js';
import { BtfBuilder } from '../btf/build-btf.js';

/** A kernel whose sk_buff has what pcap(SKB, ...) reads, or (`complete` false) lacks `tail`. */
function fakeKernel(complete: boolean): Btf {
  const b = new BtfBuilder();
  const u8 = b.int('unsigned char', 1);
  const u16 = b.int('short unsigned int', 2);
  const u32 = b.int('unsigned int', 4);
  const s32 = b.int('int', 4, { signed: true });
  const voidPtr = b.ptr(0);
  const netdev = b.struct('net_device', 32, [{ name: 'ifindex', type: s32, bitOffset: 128 }]);
  const skb = b.struct('sk_buff', 64, [
    { name: 'dev', type: b.ptr(netdev), bitOffset: 64 },
    { name: 'len', type: u32, bitOffset: 128 },
    { name: 'mac_header', type: u16, bitOffset: 192 },
    { name: 'network_header', type: u16, bitOffset: 208 },
    ...(complete ? [{ name: 'tail', type: u32, bitOffset: 224 }] : []),
    { name: 'head', type: b.ptr(u8), bitOffset: 256 },
    { name: 'data', type: b.ptr(u8), bitOffset: 320 },
  ]);
  const skbPtr = b.ptr(skb);
  b.typedef('btf_trace_kfree_skb', b.ptr(b.funcProto(0, [['', voidPtr], ['', skbPtr]])));
  b.func('__traceiter_kfree_skb', b.funcProto(s32, [['__data', voidPtr], ['skb', skbPtr]]));
  b.func('tcp_v4_rcv', b.funcProto(s32, [['skb', skbPtr]]));
  return new Btf(b.build());
}

const KFREE_SKB = readFileSync(new URL('../tracefs/fixtures/skb-kfree_skb.format', import.meta.url), 'utf8');
const kernel = (complete: boolean): KernelEnv => {
  const btf = fakeKernel(complete);
  return { interfaces: () => ['eth0'], tracepoints: () => ['skb:kfree_skb'], tracepointFormat: (c, n) => (`${c}:${n}` === 'skb:kfree_skb' ? KFREE_SKB : undefined), btf: () => btf, kprobesAvailable: () => false };
};
const env = kernel(true);

function diagnostics(text: string, on: KernelEnv = env): Diagnostic[] {
  try {
    compileStages(text, on);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  return [];
}

/** [code, underlined text, hints] of what compiling `text` reports. */
function found(text: string, on: KernelEnv = env): [string, string, string[]][] {
  return diagnostics(text, on).map((d) => [d.code, d.span ? text.slice(d.span.start.offset, d.span.end.offset) : '', d.hints ?? []]);
}

describe('pcap(SKB, "filter") in the checker', () => {
  it('is a boolean with an sk_buff argument or a cast address, in any probe', () => {
    for (const text of [
      'rawtracepoint:kfree_skb { @v = pcap(args.skb, "udp port 53") }',
      'tracepoint:skb:kfree_skb { @v = pcap((struct sk_buff *)args.skbaddr, "udp port 53") }',
      'fentry:tcp_v4_rcv { @v = pcap(args.skb, "tcp") }',
    ]) {
      const ast = parse(text);
      const checked = check(ast, env);
      expect(typeName(checked.types.get((ast.blocks[0].body[0] as { value: Expr }).value)!), text).toBe('bool');
      expect(checked.pcapSkbs?.size, text).toBe(1);
    }
  });

  it('NT0344 on an argument that is not an sk_buff pointer, with the cast as hint', () => {
    const [d] = found('tracepoint:skb:kfree_skb { @v = pcap(args.skbaddr, "udp") }');
    expect(d.slice(0, 2)).toEqual(['NT0344', 'args.skbaddr']);
    expect(d[2].join(' ')).toContain('pcap((struct sk_buff *)args.skbaddr, "udp")');
    expect(found('tracepoint:skb:kfree_skb { @v = pcap(args.protocol, "udp") }').map((x) => x.slice(0, 2))).toEqual([['NT0344', 'args.protocol']]);
  });

  it('NT0344 on the argument when the kernel\'s sk_buff lacks a field it reads', () => {
    expect(found('rawtracepoint:kfree_skb { @v = pcap(args.skb, "udp") }', kernel(false)).map((x) => x.slice(0, 2))).toEqual([['NT0344', 'args.skb']]);
  });

  it('without SKB in a probe that has no packet: NT0306, whose hint names the sk_buff form', () => {
    const [d] = found('rawtracepoint:kfree_skb { @v = pcap("udp") }');
    expect(d.slice(0, 2)).toEqual(['NT0306', 'pcap("udp")']);
    expect(d[2].join(' ')).toContain('pcap(args.skb, "udp")');
  });

  it('keeps the filter\'s rules: a literal, one or two arguments', () => {
    expect(found('rawtracepoint:kfree_skb { $f = "udp"; @v = pcap(args.skb, $f) }').map((x) => x.slice(0, 2))).toEqual([['NT0311', '$f']]);
    expect(found('rawtracepoint:kfree_skb { @v = pcap(args.skb, "udp", 1) }').map((x) => x[0])).toEqual(['NT0304']);
  });
});

describe('pcap(SKB, "filter") in codegen', () => {
  it('reads through the pointer with bpf_probe_read_kernel and runs the Ethernet or the raw-IP translation', () => {
    const { code } = compileStages('rawtracepoint:kfree_skb /pcap(args.skb, "udp port 53")/ { @ = count() }', env);
    expect(code.ir).toContain('pcap_skb_ethernet');
    expect(code.ir).toContain('pcap_skb_raw_ip');
    expect(code.ir).toContain('pcap_skb_read');
    expect(code.ir).not.toContain('cbpf_load'); // no packet pointers: nothing is checked against data_end
  });

  it('a filter on the link layer has no raw-IP form: packets without a MAC header do not match', () => {
    const { code } = compileStages('rawtracepoint:kfree_skb /pcap(args.skb, "vlan and udp")/ { @ = count() }', env);
    expect(code.ir).toContain('pcap_skb_raw_ip');
    expect(diagnostics('rawtracepoint:kfree_skb /pcap(args.skb, "vlan and udp")/ { @ = count() }')).toEqual([]);
  });

  it('a filter libpcap refuses is NT0420 on the string', () => {
    expect(found('rawtracepoint:kfree_skb /pcap(args.skb, "udp port 99999")/ { @ = count() }').map((x) => x.slice(0, 2))).toEqual([['NT0420', '"udp port 99999"']]);
  });
});
