// Named constants inside a set (`args.reason in {NO_SOCKET, SKB_CONSUMED}`): resolved as in
// `==` (in the left side's enum first, then any BTF enumerator), compiled to the same
// switch as numbers; an unknown name is NT0313, a constant against an address NT0305.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Btf } from '../../../src/btf/reader.js';
import { check } from '../../../src/check/index.js';
import { compileStages } from '../../../src/compile.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';
import { BtfBuilder } from '../btf/build-btf.js';

function fakeKernel(): Btf {
  const b = new BtfBuilder();
  b.enum('skb_drop_reason', 4, [['SKB_CONSUMED', 1], ['SKB_DROP_REASON_NOT_SPECIFIED', 2], ['SKB_DROP_REASON_NO_SOCKET', 3]]);
  b.enum('', 4, [['TCP_ESTABLISHED', 1], ['TCP_SYN_SENT', 2], ['TCP_CLOSE', 7]]);
  return new Btf(b.build());
}

const fixture = (name: string) => readFileSync(new URL(`../tracefs/fixtures/${name}.format`, import.meta.url), 'utf8');
const FORMATS: Record<string, string> = { 'skb:kfree_skb': fixture('skb-kfree_skb'), 'sock:inet_sock_set_state': fixture('sock-inet_sock_set_state') };
const btf = fakeKernel();
const env: KernelEnv = { interfaces: () => ['lo'], tracepoints: () => Object.keys(FORMATS), tracepointFormat: (c, n) => FORMATS[`${c}:${n}`], btf: () => btf };

function found(text: string): [string, string][] {
  let diagnostics: Diagnostic[] = [];
  try {
    check(parse(text), env);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    diagnostics = e.diagnostics;
  }
  return diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, text.slice(d.span!.start.offset, d.span!.end.offset)]);
}

describe('constants inside sets', () => {
  it('resolve short and full names in the left side\'s enum, and mix with numbers', () => {
    const text = 'tracepoint:skb:kfree_skb /args.reason in {NO_SOCKET, SKB_CONSUMED, 2}/ { @ = count() }';
    const c = check(parse(text), env);
    expect([...c.constants!.entries()].map(([e, v]) => [(e as { name: string }).name, v])).toEqual([['NO_SOCKET', 3n], ['SKB_CONSUMED', 1n]]);
    const { code } = compileStages(text, env);
    // One switch with the three values, as for numbers.
    expect(code.ir).toMatch(/switch i\d+ %[\w.]+, label %[\w.]+ \[\s*i\d+ 3, label %[\w.]+\s*i\d+ 1, label %[\w.]+\s*i\d+ 2, label/);
  });

  it('resolve TCP states from an anonymous enum', () => {
    expect(found('tracepoint:sock:inet_sock_set_state /args.newstate in {TCP_ESTABLISHED, TCP_CLOSE}/ { @ = count() }')).toEqual([]);
  });

  it('report an unknown name at the name, and a constant against an address', () => {
    expect(found('tracepoint:skb:kfree_skb /args.reason in {NO_SOCKT, 2}/ { @ = count() }')).toEqual([['NT0313', 'NO_SOCKT']]);
    expect(found('xdp:lo /ip6.src in {SKB_CONSUMED}/ { @ = count() }')).toEqual([['NT0305', 'SKB_CONSUMED']]);
  });
});
