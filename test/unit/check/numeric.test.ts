// The integer rules, on the types the checker gives expressions.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import type { Expr } from '../../../src/model/ast.js';
import { typeName } from '../../../src/model/types.js';
import { parse } from '../../../src/parser/index.js';

/** The type of the value assigned to @v in `BEGIN { @v = EXPR }` (or xdp for packet fields). */
function typeOf(expr: string, probe = 'BEGIN'): string {
  const ast = parse(`${probe} { @v = ${expr} }`);
  const checked = check(ast, { interfaces: () => ['eth0'] });
  const stmt = ast.blocks[0].body[0] as { value: Expr };
  return typeName(checked.types.get(stmt.value)!);
}

describe('integer typing', () => {
  it('literals are u64, or s64 when negative', () => {
    expect(typeOf('42')).toBe('u64');
    expect(typeOf('-1')).toBe('s64');
  });

  it('a literal takes the signedness of the value it meets', () => {
    expect(typeOf('pkt.len - 100', 'xdp:eth0')).toBe('u64');
    expect(typeOf('(s32)pkt.len - 100', 'xdp:eth0')).toBe('s64');
    expect(typeOf('pkt.len + -1', 'xdp:eth0')).toBe('s64');
  });

  it('x & MASK keeps what x is', () => {
    expect(typeOf('ip.src & 0xffffff00', 'xdp:eth0')).toBe('ipv4 (u32)');
    expect(typeOf('pkt.len * 2', 'xdp:eth0')).toBe('u64');
  });

  it('casts name their type; comparisons are booleans', () => {
    expect(typeOf('(s8)300')).toBe('s8');
    expect(typeOf('(bool)3')).toBe('bool');
    expect(typeOf('comm == "x"')).toBe('bool');
  });

  it('a map given two integer types holds the wider', () => {
    const ast = parse('xdp:eth0 { @m[udp.dport] = 1; @m[pkt.len] = (s8)2 }');
    const checked = check(ast, { interfaces: () => ['eth0'] });
    const m = checked.maps.get('m')!;
    expect(m.keyTypes.map(typeName)).toEqual(['u32']);
    expect(m.value.kind === 'scalar' && typeName(m.value.type)).toBe('s64');
  });
});
