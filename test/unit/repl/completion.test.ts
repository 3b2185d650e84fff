import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Btf } from '../../../src/btf/reader.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { applyCompletion, commonPrefix, complete, type CompletionSources } from '../../../src/repl/completion.js';
import { liveCompletionSources, loadCompletionParser } from '../../../src/repl/completion-sources.js';
import { BtfBuilder } from '../btf/build-btf.js';

const PROBES: Record<string, string[]> = {
  xdp: ['xdp:eth0', 'xdp:eth1', 'xdp:lo', 'xdp:veth-a'],
  tc: ['tc:eth0:ingress', 'tc:eth0:egress', 'tc:veth-a:ingress', 'tc:veth-a:egress'],
  tracepoint: ['tracepoint:net:netif_receive_skb', 'tracepoint:net:net_dev_xmit', 'tracepoint:skb:kfree_skb', 'tracepoint:sock:inet_sock_set_state'],
};

const sources: CompletionSources = {
  probeKinds: () => ['xdp', 'tc', 'tracepoint', 't'],
  probes: (provider) => (PROBES[provider === 't' ? 'tracepoint' : provider] ?? []).map((p) => provider + p.slice(p.indexOf(':'))),
  // tc:IFACE is whole (both directions); the other kinds need their parts.
  isProbe: (text) => /^tc:[^:]+$/.test(text),
  words: () => ['count(', 'cpu', 'ifindex', 'ip', 'ip6', 'pkt', 'printf('],
  fields: (o) => (o === 'ip' ? ['src', 'dst', 'proto', 'ttl'] : o === 'pkt' ? ['len'] : []),
  commands: () => ['.help', '.list', '.detach', '.load', '.save', '.quit'],
  files: (dir) => (dir === '.' ? ['a.nt', 'b.nt', 'sub/'] : dir === 'sub/' ? ['c.nt'] : []),
};

const at = (text: string) => complete(text, text.length, sources);
const tab = (text: string) => applyCompletion(text, text.length, at(text));

describe('Tab completion', () => {
  it('completes probe kinds at the start', () => {
    expect(at('x')).toEqual({ start: 0, candidates: ['xdp:'] });
    expect(at('t').candidates).toEqual(['t:', 'tc:', 'tracepoint:']);
    expect(tab('x').text).toBe('xdp:');
  });

  it('completes interface names after xdp: and tc:', () => {
    expect(at('xdp:e').candidates).toEqual(['xdp:eth0', 'xdp:eth1']);
    expect(tab('xdp:e')).toEqual({ text: 'xdp:eth', cursor: 7, listed: ['xdp:eth0', 'xdp:eth1'] });
    expect(tab('xdp:l').text).toBe('xdp:lo');
    expect(tab('tc:v').text).toBe('tc:veth-a');
    expect(at('tc:veth-a:').candidates).toEqual(['tc:veth-a:egress', 'tc:veth-a:ingress']);
    expect(tab('tc:eth0:i').text).toBe('tc:eth0:ingress');
  });

  it('completes tracepoints: the category first, then the name', () => {
    expect(at('tracepoint:').candidates).toEqual(['tracepoint:net:', 'tracepoint:skb:', 'tracepoint:sock:']);
    expect(tab('t:sk').text).toBe('t:skb:kfree_skb');
    expect(at('tracepoint:net:net').candidates).toEqual(['tracepoint:net:net_dev_xmit', 'tracepoint:net:netif_receive_skb']);
  });

  it('completes probes after a comma in a probe list and after a block', () => {
    expect(tab('xdp:lo, xdp:e').listed).toEqual(['xdp:eth0', 'xdp:eth1']);
    expect(tab('xdp:lo { @ = count() } x').text).toBe('xdp:lo { @ = count() } xdp:');
  });

  it('completes builtins and header fields inside a block', () => {
    expect(tab('xdp:lo { @[ip.s').text).toBe('xdp:lo { @[ip.src');
    expect(at('xdp:lo { @[ip.').candidates).toEqual(['ip.dst', 'ip.proto', 'ip.src', 'ip.ttl']);
    expect(tab('xdp:lo { @[ip.src] = co').text).toBe('xdp:lo { @[ip.src] = count(');
    expect(tab('xdp:lo < @[pkt.l').text).toBe('xdp:lo < @[pkt.len');
    expect(at('xdp:lo { @[ip').candidates).toEqual(['ip', 'ip6']);
  });

  it('leaves map and variable names alone, and strings', () => {
    expect(at('xdp:lo { @co').candidates).toEqual([]);
    expect(at('xdp:lo { $co').candidates).toEqual([]);
    expect(at('xdp:lo { printf("co').candidates).toEqual([]);
  });

  it('completes commands and the files of .load and .save', () => {
    expect(tab('.q').text).toBe('.quit ');
    expect(at('.l').candidates).toEqual(['.list ', '.load ']);
    expect(tab('.load a').text).toBe('.load a.nt');
    expect(tab('.save s').text).toBe('.save sub/');
    expect(tab('.load sub/').text).toBe('.load sub/c.nt');
  });

  it('completes in the middle of a line, replacing only the word before the cursor', () => {
    const text = 'xdp:e { @ = count() }';
    const done = applyCompletion(text, 5, complete(text, 5, sources));
    expect(done.text).toBe('xdp:eth { @ = count() }');
    expect(done.cursor).toBe(7);
  });

  it('common prefix', () => {
    expect(commonPrefix(['abc', 'abd', 'ab'])).toBe('ab');
    expect(commonPrefix([])).toBe('');
  });
});

/** A small kernel: two interfaces, the skb:kfree_skb tracepoint, and its raw twin in BTF. */
function fakeKernel(): KernelEnv {
  const b = new BtfBuilder();
  const s32 = b.int('int', 4, { signed: true });
  const u32 = b.int('unsigned int', 4);
  const skb = b.struct('sk_buff', 8, [{ name: 'len', type: u32, bitOffset: 0 }]);
  const skbPtr = b.ptr(skb);
  b.typedef('btf_trace_kfree_skb', b.ptr(b.funcProto(0, [['', b.ptr(0)], ['', skbPtr], ['', u32]])));
  b.func('__traceiter_kfree_skb', b.funcProto(s32, [['__data', b.ptr(0)], ['skb', skbPtr], ['reason', u32]]));
  const btf = new Btf(b.build());
  const format = readFileSync(new URL('../tracefs/fixtures/skb-kfree_skb.format', import.meta.url), 'utf8');
  return {
    interfaces: () => ['eth0', 'veth1'],
    tracepoints: () => ['skb:kfree_skb'],
    tracepointFormat: (c, n) => (`${c}:${n}` === 'skb:kfree_skb' ? format : undefined),
    btf: () => btf,
    kprobesAvailable: () => false,
  };
}

describe('live completion sources', () => {
  beforeAll(() => loadCompletionParser());
  const live = liveCompletionSources(fakeKernel());
  const liveAt = (text: string) => complete(text, text.length, live).candidates;

  it('come from the compiler tables and the environment', () => {
    expect(live.probeKinds()).toContain('xdp');
    expect(tabWith(live, 'xdp:v')).toBe('xdp:veth1');
    expect(tabWith(live, 'xdp:eth0 { @[tcp.dp')).toBe('xdp:eth0 { @[tcp.dport');
    expect(tabWith(live, 'xdp:eth0 { @[pkt.')).toBe('xdp:eth0 { @[pkt.len');
    expect(tabWith(live, 'xdp:eth0 { @ = cou')).toBe('xdp:eth0 { @ = count(');
    expect(tabWith(live, 'xdp:eth0 { @[ifi')).toBe('xdp:eth0 { @[ifindex');
    expect(tabWith(live, 'xdp:eth0 /ip.s')).toBe('xdp:eth0 /ip.src');
    expect(tabWith(live, '.inter')).toBe('.interval ');
    // Byte offsets and tunnels (docs/language.md): payload[...], inner.ip.src.
    expect(tabWith(live, 'xdp:eth0 { @[payl')).toBe('xdp:eth0 { @[payload');
    expect(tabWith(live, 'xdp:eth0 { @[inne')).toBe('xdp:eth0 { @[inner');
    expect(liveAt('xdp:eth0 { @[inner.ic')).toEqual(['inner.icmp', 'inner.icmp6']);
  });

  it('offer only what the compiler accepts: no ustack(, uaddr(, no socket probes, BEGIN and END without a colon', () => {
    const words = liveAt('xdp:eth0 { ');
    // bpftrace's user-space functions are not nettrace's; time(, kstack( are (src/functions/).
    for (const rejected of ['ustack(', 'uaddr(']) expect(words).not.toContain(rejected);
    expect(words).toEqual(expect.arrayContaining(['time(', 'strftime(', 'kstack(', 'macaddr(']));
    // str() and ntop() are functions now (src/functions/str.ts, ntop.ts), so they are offered.
    expect(words).toEqual(expect.arrayContaining(['str(', 'ntop(']));
    expect(words).toEqual(expect.arrayContaining(['count(', 'hist(', 'printf(', 'exit(', 'delete(', 'drop', 'if', 'nsecs']));
    expect(liveAt('s')).toEqual([]);
    expect(liveAt('socket:')).toEqual([]);
    expect(liveAt('BE')).toEqual(['BEGIN']);
    expect(liveAt('E')).toEqual(['END']);
    expect(liveAt('int')).toEqual(['interval:']);
    expect(liveAt('raw')).toEqual(['rawtracepoint:']);
  });

  it('offer raw tracepoint names from BTF, under the name or the alias typed', () => {
    expect(liveAt('rawtracepoint:kf')).toEqual(['rawtracepoint:kfree_skb']);
    expect(liveAt('rt:')).toEqual(['rt:kfree_skb']);
  });

  it('offer the args fields of the probe being typed, as the checker resolves it', () => {
    expect(liveAt('tracepoint:skb:kfree_skb { @[args.')).toEqual(['args.location', 'args.protocol', 'args.reason', 'args.rx_sk', 'args.skbaddr']);
    expect(liveAt('rawtracepoint:kfree_skb /args.')).toEqual(['args.reason', 'args.skb']);
    expect(liveAt('xdp:eth0 { @ = count() }\nrt:kfree_skb {\n  @[args.s')).toEqual(['args.skb']);
    // args exists only where the probe has arguments. ("arg", not "ar": the arp header
    // starts with "ar" too.)
    expect(liveAt('t:skb:kfree_skb { @[arg')).toEqual(['args']);
    expect(liveAt('xdp:eth0 { @[arg')).toEqual([]);
    expect(liveAt('xdp:eth0 { @[args.')).toEqual([]);
  });

  it('offer the builtins and functions of the registries, each builtin only where the block\'s probes can read it', () => {
    expect(liveAt('BEGIN { @[ui')).toEqual(['uid']);
    expect(liveAt('BEGIN { @[bsw')).toEqual(['bswap(']);
    expect(liveAt('xdp:eth0 { @[rx')).toEqual(['rxq']);
    expect(liveAt('tc:eth0 { @[rx')).toEqual([]);
    expect(liveAt('tc:eth0 { @[mar')).toEqual(['mark']);
    expect(liveAt('t:skb:kfree_skb { @[mar')).toEqual([]);
    expect(liveAt('xdp:eth0, tc:eth0 { @[mar')).toEqual(['mark']);
  });

  it('offer the constant names the block can compare with: its args fields\' names, TCP flags and IPPROTO_* in packet probes', () => {
    expect(liveAt('t:skb:kfree_skb /args.reason == NO_S')).toEqual(['NO_SOCKET']);
    expect(liveAt('t:skb:kfree_skb /args.reason in {NO_SOCKET, TCP_CS')).toEqual(['TCP_CSUM']);
    expect(liveAt('xdp:eth0 /tcp.flags == SY')).toEqual(['SYN']);
    expect(liveAt('tc:eth0 /ip.proto == IPPROTO_U')).toEqual(['IPPROTO_UDP']);
    expect(liveAt('BEGIN { @ = SY')).toEqual([]);
  });

  it('complete tracepoints a part at a time, and tc with or without a direction', () => {
    expect(liveAt('tracepoint:')).toEqual(['tracepoint:skb:kfree_skb']);
    expect(liveAt('tc:v')).toEqual(['tc:veth1']);
    expect(liveAt('tc:veth1:')).toEqual(['tc:veth1:egress', 'tc:veth1:ingress']);
  });
});

function tabWith(s: CompletionSources, text: string): string {
  return applyCompletion(text, text.length, complete(text, text.length, s)).text;
}
