// The checker's side of packet probes: tc probe specs, actions and where they may stand,
// header fields and their types. Asserts codes and spans, not wording.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import type { CheckedProgram } from '../../../src/model/checked.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { typeName } from '../../../src/model/types.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';

const env: KernelEnv = { interfaces: () => ['eth0', 'veth1'] };

function checked(source: string): CheckedProgram {
  return check(parse(source), env);
}

function diagnostics(source: string): Diagnostic[] {
  try {
    checked(source);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  throw new Error(`expected diagnostics for: ${source}`);
}

/** The source text a diagnostic's span covers. */
function spanned(source: string, d: Diagnostic): string {
  return source.slice(d.span!.start.offset, d.span!.end.offset);
}

describe('tc probes', () => {
  it('tc:IFACE is both directions; tc:IFACE:DIR one', () => {
    const both = checked('tc:eth0 { @[ip.src] = count() }').blocks[0].probes;
    expect(both.map((p) => [p.text, p.attach])).toEqual([
      ['tc:eth0:ingress', { kind: 'tc', ifname: 'eth0', direction: 'ingress' }],
      ['tc:eth0:egress', { kind: 'tc', ifname: 'eth0', direction: 'egress' }],
    ]);
    const egress = checked('tc:veth1:egress { @[ip.src] = count() }').blocks[0].probes;
    expect(egress.map((p) => [p.text, p.context, p.expectedAttachType])).toEqual([['tc:veth1:egress', 'skb', 47]]);
  });

  it('a wrong direction is NT0203 with a suggestion', () => {
    const source = 'tc:eth0:ingres { @[ip.src] = count() }';
    const [d] = diagnostics(source);
    expect(d.code).toBe('NT0203');
    expect(spanned(source, d)).toBe('tc:eth0:ingres');
    expect(d.hints.join('\n')).toContain("'ingress'");
  });

  it('a missing interface is NT0202 naming the ones that exist', () => {
    const [d] = diagnostics('tc:eht0 { @[ip.src] = count() }');
    expect(d.code).toBe('NT0202');
    expect(d.hints.join('\n')).toContain("'eth0'");
  });

  it('tc: and tc:IF:ingress:x are malformed', () => {
    expect(diagnostics('tc: { @[ip.src] = count() }')[0].code).toBe('NT0203');
    expect(diagnostics('tc:eth0:ingress:x { @[ip.src] = count() }')[0].code).toBe('NT0203');
  });

  it('mark and ifindex are readable in tc; mark is not in xdp', () => {
    expect(() => checked('tc:eth0 { @[mark, ifindex] = count() }')).not.toThrow();
    const source = 'xdp:eth0 { @[mark] = count() }';
    const [d] = diagnostics(source);
    expect(d.code).toBe('NT0306');
    expect(spanned(source, d)).toBe('mark');
  });
});

describe('actions', () => {
  it('drop, pass and tx are statements of xdp; drop and pass of tc', () => {
    expect(() => checked('xdp:eth0 { drop } xdp:veth1 /udp/ { pass } xdp:eth0 { if (tcp) { tx } }')).not.toThrow();
    expect(() => checked('tc:eth0 { if (udp.dport == 9) { drop } else { pass } }')).not.toThrow();
  });

  it('tx in tc is NT0310 on the action', () => {
    const source = 'tc:eth0:ingress { @[ip.src] = count(); tx }';
    const [d] = diagnostics(source);
    expect(d.code).toBe('NT0310');
    expect(spanned(source, d)).toBe('tx');
    expect(d.hints.join('\n')).toContain('xdp');
  });

  it('an action in a block shared with a probe that cannot take it is reported once', () => {
    const source = 'xdp:eth0, tc:eth0 { tx }';
    const ds = diagnostics(source);
    expect(ds.map((d) => [d.code, spanned(source, d)])).toEqual([['NT0310', 'tx']]);
  });

  it('an action in a probe without packets is NT0310', () => {
    const source = 'BEGIN { drop }';
    const [d] = diagnostics(source);
    expect(d.code).toBe('NT0310');
    expect(spanned(source, d)).toBe('drop');
  });

  it('an action is not a value', () => {
    const [d] = diagnostics('xdp:eth0 { @x[drop] = count() }');
    expect(d.code).toBe('NT0305');
  });

  it('the checker records no traffic change for programs without actions', () => {
    const program = checked('xdp:eth0 { @[ip.src] = count() }');
    expect(program.blocks[0].probes[0].verdicts).toEqual({ pass: 2, drop: 1, tx: 3 });
  });
});

describe('packet fields and their types', () => {
  const typeOf = (probe: string, expr: string) => {
    const program = checked(`${probe} { @[${expr}] = count() }`);
    const map = program.maps.get('')!;
    return typeName(map.keyTypes[0]);
  };

  it.each([
    ['ip.src', 'ipv4 (u32)'],
    ['ip6.dst', 'ipv6 address'],
    ['eth.src', 'mac address'],
    ['eth.proto', 'ethproto (u16)'],
    ['ip.proto', 'ipproto (u8)'],
    ['ip6.nexthdr', 'ipproto (u8)'],
    ['tcp.flags', 'tcpflags (u8)'],
    ['tcp.seq', 'u32'],
    ['vlan.id', 'u16'],
    ['udp.len', 'u16'],
    ['icmp6.type', 'u8'],
    ['pkt.len', 'u32'],
    ['tcp', 'bool'],
  ])('%s is %s on xdp and tc', (expr, type) => {
    expect(typeOf('xdp:eth0', expr)).toBe(type);
    expect(typeOf('tc:eth0', expr)).toBe(type);
  });

  it('an unknown field names the header and suggests the closest', () => {
    const source = 'xdp:eth0 { @[tcp.dprot] = count() }';
    const [d] = diagnostics(source);
    expect(d.code).toBe('NT0302');
    expect(spanned(source, d)).toBe('dprot');
    expect(d.hints.join('\n')).toContain("'dport'");
  });

  it('addresses compare with literals of their family; networks only after in', () => {
    expect(() => checked('xdp:eth0 /ip.src == 10.0.0.1 && ip6.dst == fe80::1 && eth.src == aa:bb:cc:dd:ee:ff/ { @[ip.src] = count() }')).not.toThrow();
    expect(() => checked('xdp:eth0 /ip.src in 10.0.0.0/8 || ip6.src in fd00::/8/ { @[ip.src] = count() }')).not.toThrow();
    expect(diagnostics('xdp:eth0 /ip.src == fe80::1/ { @[ip.src] = count() }')[0].code).toBe('NT0305');
    expect(diagnostics('xdp:eth0 /ip6.src in 10.0.0.0/8/ { @[ip.src] = count() }')[0].code).toBe('NT0305');
    expect(diagnostics('xdp:eth0 /ip.src == 10.0.0.0/8/ { @[ip.src] = count() }')[0].code).toBe('NT0305');
  });
});
