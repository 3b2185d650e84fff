// Byte offsets (`ip[6:2]`, `tcp[13]`, `pkt[0:4]`, `payload[0]`), the inner VLAN tag
// (`vlan[1].id`) and tunnelled packets (`inner.ip.src`): how they parse, their types, and
// the diagnostics for a bad size, offset, name or tag, with their spans. Asserts codes and
// spans, not wording.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { typeName } from '../../../src/model/types.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';
import type { Expr } from '../../../src/model/ast.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };

function keyTypes(keys: string, probe = 'xdp:eth0'): string[] {
  const source = `${probe} { @[${keys}] = count() }`;
  const checked = check(parse(source), env);
  const stmt = checked.ast.blocks[0]!.body[0]! as unknown as { target: { keys: Expr[] } };
  return stmt.target.keys.map((k) => typeName(checked.types.get(k)!));
}

function diagnostics(source: string): Array<[string, string]> {
  try {
    check(parse(source), env);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d: Diagnostic) => [d.code, source.slice(d.span!.start.offset, d.span!.end.offset)]);
    throw e;
  }
  throw new Error(`expected diagnostics for: ${source}`);
}

describe('byte offsets', () => {
  it('parse as tcpdump writes them, with the size deciding the type', () => {
    expect(keyTypes('ip[6:2], tcp[13], eth[12:2], udp[4:2], icmp[0], ip6[0:4], pkt[0:4], payload[2:2], arp[7]')).toEqual(
      ['u16', 'u8', 'u16', 'u16', 'u8', 'u32', 'u32', 'u16', 'u8'],
    );
    expect(keyTypes('tcp[(tcp[12] >> 4) * 4 : 4], ip[ip.ihl * 4]', 'tc:eth0:ingress')).toEqual(['u32', 'u8']);
  });

  it('keep the AST order of suffixes: vlan[1].id is a field of the inner tag', () => {
    const e = (parse('xdp:eth0 { @[vlan[1].id] = count() }').blocks[0]!.body[0] as unknown as { target: { keys: Expr[] } }).target.keys[0]!;
    expect(e.kind).toBe('Field');
    expect(e.kind === 'Field' && e.object.kind).toBe('Index');
    expect(keyTypes('vlan[1], vlan[0].id, vlan[1].tpid, vlan[1].pcp')).toEqual(['bool', 'u16', 'ethproto (u16)', 'u8']);
  });

  it('diagnose a bad size, offset, name or tag on the text that is wrong', () => {
    expect(diagnostics('xdp:eth0 { @[ip[6:3]] = count() }')).toEqual([['NT0340', '3']]);
    expect(diagnostics('xdp:eth0 { @[ip[6:$x]] = count() }').map(([c]) => c)).toContain('NT0340');
    expect(diagnostics('xdp:eth0 { @[tcp[-1]] = count() }')).toEqual([['NT0341', '-1']]);
    expect(diagnostics('xdp:eth0 { @[pkt[65536]] = count() }')).toEqual([['NT0341', '65536']]);
    expect(diagnostics('xdp:eth0 { @[ip[ip.src == 1.2.3.4]] = count() }')).toEqual([['NT0341', 'ip.src == 1.2.3.4']]);
    expect(diagnostics('xdp:eth0 { @[ipp[1]] = count() }')).toEqual([['NT0342', 'ipp']]);
    expect(diagnostics('xdp:eth0 { @[tcp.sport[1]] = count() }')).toEqual([['NT0342', 'tcp.sport']]);
    expect(diagnostics('xdp:eth0 { @[vlan[2].id] = count() }')).toEqual([['NT0343', '2']]);
    expect(diagnostics('xdp:eth0 { @[vlan[1:2]] = count() }')).toEqual([['NT0343', '2']]);
    expect(diagnostics('xdp:eth0 { @[vlan[1].vid] = count() }')).toEqual([['NT0302', 'vid']]);
    expect(diagnostics('BEGIN { @[ip[6:2]] = count() }')).toEqual([['NT0306', 'ip[6:2]']]);
  });
});

describe('tunnelled packets', () => {
  it('inner is a boolean, inner.HEADER too, and inner fields have the outer fields\' types', () => {
    expect(keyTypes('inner, inner.tcp, inner.eth, inner.ip.src, inner.tcp.dport, inner.ip6.src, inner.vlan.id')).toEqual(
      ['bool', 'bool', 'bool', 'ipv4 (u32)', 'u16', 'ipv6 address', 'u16'],
    );
  });

  it('diagnose an unknown inner header or field on its name, and inner outside packet probes', () => {
    expect(diagnostics('xdp:eth0 { @[inner.tpc] = count() }')).toEqual([['NT0302', 'tpc']]);
    expect(diagnostics('xdp:eth0 { @[inner.ip.sport] = count() }')).toEqual([['NT0302', 'sport']]);
    expect(diagnostics('BEGIN { @[inner.ip.src] = count() }')).toEqual([['NT0306', 'inner.ip.src']]);
  });
});
