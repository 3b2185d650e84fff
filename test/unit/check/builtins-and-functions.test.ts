// The types the checker gives value builtins and value functions through their
// registries, and where they may stand. uid, gid and bswap() were added as one record
// file and one registry line each; their diagnostics are in language-diagnostics.test.ts.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import type { Expr } from '../../../src/model/ast.js';
import { typeName } from '../../../src/model/types.js';
import { parse } from '../../../src/parser/index.js';

const env = { interfaces: () => ['eth0'] };

/** The type of the value assigned to @v in `PROBE { @v = EXPR }`. */
function typeOf(expr: string, probe = 'BEGIN'): string {
  const ast = parse(`${probe} { @v = ${expr} }`);
  const checked = check(ast, env);
  return typeName(checked.types.get((ast.blocks[0].body[0] as { value: Expr }).value)!);
}

describe('value builtins and value functions', () => {
  it('uid and gid are u32 wherever a task runs the probe, packet probes included', () => {
    expect([typeOf('uid'), typeOf('gid'), typeOf('uid', 'xdp:eth0'), typeOf('gid', 'interval:s:1')]).toEqual(['u32', 'u32', 'u32', 'u32']);
  });

  it('bswap() keeps the width of its argument and is unsigned', () => {
    expect(typeOf('bswap((u16)0x1234)')).toBe('u16');
    expect(typeOf('bswap((s32)-1)')).toBe('u32');
    expect(typeOf('bswap(0x1234)')).toBe('u64');
    expect(typeOf('bswap((u8)7)')).toBe('u8');
    expect(typeOf('bswap(ip.src)', 'xdp:eth0')).toBe('u32');
  });

  it('bswap() stands wherever a value does: keys, printf, conditions, arithmetic, a statement of its own', () => {
    const program = 'xdp:eth0 { @[bswap(udp.sport)] = count(); printf("%x\\n", bswap(ip.src) + 1); if (bswap((u16)pkt.len) > 1) { bswap(1) } }';
    expect(() => check(parse(program), env)).not.toThrow();
  });
});
