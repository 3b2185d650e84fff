// Symbolic constants: names nettrace prints, written back in a program, resolved against a
// small fake kernel (a BTF blob built here, tracepoint format files from a real kernel).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Btf } from '../../../src/btf/reader.js';
import { check } from '../../../src/check/index.js';
import type { CheckedProgram } from '../../../src/model/checked.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import type { Expr } from '../../../src/model/ast.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';
import { BtfBuilder } from '../btf/build-btf.js';

function fakeKernel(): Btf {
  const b = new BtfBuilder();
  b.enum('skb_drop_reason', 4, [['SKB_CONSUMED', 1], ['SKB_DROP_REASON_NOT_SPECIFIED', 2], ['SKB_DROP_REASON_NO_SOCKET', 3]]);
  // include/net/tcp_states.h and uapi/linux/in.h are anonymous enums.
  b.enum('', 4, [['TCP_ESTABLISHED', 1], ['TCP_SYN_SENT', 2], ['TCP_CLOSE', 7]]);
  b.enum('', 4, [['IPPROTO_IP', 0], ['IPPROTO_ICMP', 1], ['IPPROTO_TCP', 6], ['IPPROTO_UDP', 17]]);
  return new Btf(b.build());
}

const fixture = (name: string) => readFileSync(new URL(`../tracefs/fixtures/${name}.format`, import.meta.url), 'utf8');
const FORMATS: Record<string, string> = {
  'skb:kfree_skb': fixture('skb-kfree_skb'),
  'sock:inet_sock_set_state': fixture('sock-inet_sock_set_state'),
};
const btf = fakeKernel();
const env: KernelEnv = {
  interfaces: () => ['lo'],
  tracepoints: () => Object.keys(FORMATS),
  tracepointFormat: (c, n) => FORMATS[`${c}:${n}`],
  btf: () => btf,
};

function checked(text: string, kernel: KernelEnv = env): CheckedProgram {
  return check(parse(text), kernel);
}

function errors(text: string, kernel: KernelEnv = env): Diagnostic[] {
  try {
    checked(text, kernel);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected diagnostics');
}

/** name -> value of every constant the checker resolved, in source order. */
function constants(text: string): Record<string, bigint> {
  const c = checked(text);
  const out: Record<string, bigint> = {};
  for (const [e, v] of c.constants ?? []) if (e.kind === 'Ident') out[e.name] = v;
  return out;
}

function predicate(c: CheckedProgram): Expr {
  return c.ast.blocks[0]!.predicate!;
}

describe('symbolic constants', () => {
  it('a drop reason by the short name nettrace prints, and by its C name', () => {
    expect(constants('tracepoint:skb:kfree_skb /args.reason == NO_SOCKET/ { @ = count() }')).toEqual({ NO_SOCKET: 3n });
    expect(constants('tracepoint:skb:kfree_skb /NO_SOCKET != args.reason/ { @ = count() }')).toEqual({ NO_SOCKET: 3n });
    expect(constants('tracepoint:skb:kfree_skb /args.reason == SKB_DROP_REASON_NO_SOCKET/ { @ = count() }')).toEqual({ SKB_DROP_REASON_NO_SOCKET: 3n });
  });

  it('tcp states from the anonymous enum in BTF, compared with a symbolic tracepoint field', () => {
    expect(constants('tracepoint:sock:inet_sock_set_state /args.newstate == TCP_ESTABLISHED && args.oldstate != TCP_CLOSE/ { @ = count() }')).toEqual({
      TCP_ESTABLISHED: 1n,
      TCP_CLOSE: 7n,
    });
  });

  it('IPPROTO_ names and TCP flag bits', () => {
    expect(constants('tc:lo:ingress /ip.proto == IPPROTO_UDP/ { @ = count() }')).toEqual({ IPPROTO_UDP: 17n });
    expect(constants('tc:lo:ingress /(tcp.flags & SYN) != 0 && tcp.flags != TCPHDR_RST/ { @ = count() }')).toEqual({ SYN: 2n, TCPHDR_RST: 4n });
  });

  it('tcp.flags == SYN|ACK groups the flags, not (tcp.flags == SYN)|ACK', () => {
    const c = checked('tc:lo:ingress /tcp.flags == SYN|ACK|FIN/ { @ = count() }');
    const p = predicate(c);
    expect(p.kind === 'Binary' && p.op).toBe('==');
    if (p.kind !== 'Binary' || p.right.kind !== 'Binary') throw new Error('expected tcp.flags == (...)');
    expect(p.right.op).toBe('|');
    expect(Object.fromEntries([...c.constants!].map(([e, v]) => [(e as { name: string }).name, v]))).toEqual({ SYN: 2n, ACK: 16n, FIN: 1n });
    // Parenthesised, C's reading stays: a boolean or-ed with a number.
    expect(errors('tc:lo:ingress /(tcp.flags == SYN)|ACK/ { @ = count() }').map((d) => d.code)).toEqual(['NT0305']);
  });

  it('an unknown ALL_CAPS name is NT0313 at its position, with the nearest constant', () => {
    const source = 'tracepoint:skb:kfree_skb /args.reason == NO_SOCKT/ { @ = count() }';
    const [d, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(d!.code).toBe('NT0313');
    expect(source.slice(d!.span!.start.offset, d!.span!.end.offset)).toBe('NO_SOCKT');
    expect(d!.hints[0]).toBe("did you mean 'NO_SOCKET'?");
    expect(errors('tc:lo:ingress /tcp.flags == SYNN/ { @ = count() }')[0]!.hints[0]).toBe("did you mean 'SYN'?");
    expect(errors('tc:lo:ingress /ip.proto == IPPROTO_UDPP/ { @ = count() }')[0]!.hints[0]).toBe("did you mean 'IPPROTO_UDP'?");
  });

  it('a short enum name away from its enum asks for the C name', () => {
    const [d] = errors('tracepoint:skb:kfree_skb { @[NO_SOCKET] = count() }');
    expect(d!.code).toBe('NT0313');
    expect(d!.hints[0]).toBe("did you mean 'SKB_DROP_REASON_NO_SOCKET'?");
  });

  it('without BTF only the TCP flags are known', () => {
    const noBtf: KernelEnv = { interfaces: () => ['lo'] };
    expect(checked('tc:lo:ingress /tcp.flags == SYN|ACK/ { @ = count() }', noBtf).constants!.size).toBe(2);
    expect(errors('tc:lo:ingress /ip.proto == IPPROTO_UDP/ { @ = count() }', noBtf).map((d) => d.code)).toEqual(['NT0313']);
  });

  it('ip.proto == udp is NT0314 on udp, pointing at IPPROTO_UDP', () => {
    const source = 'tc:lo:ingress /ip.proto == udp/ { @ = count() }';
    const [d, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(d!.code).toBe('NT0314');
    expect(source.slice(d!.span!.start.offset, d!.span!.end.offset)).toBe('udp');
    expect(d!.hints[0]).toBe('write IPPROTO_UDP for the protocol number, or test the header alone: /udp/');
    expect(errors('tc:lo:ingress /icmp6 != ip6.nexthdr/ { @ = count() }')[0]!.hints[0]).toMatch(/^write 58 /);
  });

  it('lower-case unknown names stay NT0301', () => {
    expect(errors('tc:lo:ingress /foo == 1/ { @ = count() }').map((d) => d.code)).toEqual(['NT0301']);
  });
});
