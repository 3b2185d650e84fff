import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/parser/index.js';
import { showStmt } from './show.js';

const body = (stmts: string): string[] => parse(`BEGIN { ${stmts} }`).blocks[0]!.body.map(showStmt);
const first = (stmts: string) => parse(`BEGIN { ${stmts} }`).blocks[0]!.body[0]!;

describe('statements', () => {
  it('map assignments: keyed, plain, anonymous', () => {
    expect(body('@m[ip.src, tcp.dport] = count(); @n = 1; @[k] = count(); @ = 2')).toEqual([
      '@m[ip.src, tcp.dport] = count()', '@n = 1', '@[k] = count()', '@ = 2',
    ]);
    expect(first('@m[k] = 1').kind).toBe('MapAssign');
  });

  it('variable assignments', () => {
    const s = first('$x = 1');
    expect(s.kind).toBe('VarAssign');
    expect(showStmt(s)).toBe('$x = 1');
  });

  it('every compound operator', () => {
    expect(body('$a += 1; $a -= 1; $a *= 1; $a /= 1; $a %= 1; @b &= 1; @b |= 1; @b ^= 1; @b <<= 1; @b >>= 1')).toEqual([
      '$a += 1', '$a -= 1', '$a *= 1', '$a /= 1', '$a %= 1', '@b &= 1', '@b |= 1', '@b ^= 1', '@b <<= 1', '@b >>= 1',
    ]);
  });

  it('++ and -- are compound assignments of 1', () => {
    expect(body('@x++; @y[k]--; $z++')).toEqual(['@x += 1', '@y[k] -= 1', '$z += 1']);
    const s = first('@x++');
    expect(s.kind === 'MapAssign' && s.op === '+' && s.value.kind === 'Int' && s.value.value === 1n).toBe(true);
  });

  it('expression statements: calls and bare actions', () => {
    expect(body('printf("%d\\n", x); exit(); delete(@m[k]); clear(@m); drop; pass; tx')).toEqual([
      'printf("%d\\n", x)', 'exit()', 'delete(@m[k])', 'clear(@m)', 'drop', 'pass', 'tx',
    ]);
    expect(first('drop')).toMatchObject({ kind: 'ExprStmt', expr: { kind: 'Ident', name: 'drop' } });
  });

  it('if / else if / else, with `else if` as an else holding one If', () => {
    const s = first('if (a) { @x = 1 } else if (b) { @y = 2 } else { @z = 3 }');
    expect(showStmt(s)).toBe('if a { @x = 1 } else { if b { @y = 2 } else { @z = 3 } }');
    expect(s.kind === 'If' && s.else!.length === 1 && s.else![0]!.kind === 'If').toBe(true);
  });

  it('nested blocks', () => {
    expect(body('{ $a = 1; { $b = 2 } }')).toEqual(['{ $a = 1; { $b = 2 } }']);
  });

  it('the last statement needs no `;`, and if/blocks need none after them', () => {
    expect(body('@a = 1; @b = 2')).toEqual(['@a = 1', '@b = 2']);
    expect(body('if (a) { } @b = 2')).toEqual(['if a {  }', '@b = 2']);
    expect(body('{ } @b = 2')).toEqual(['{  }', '@b = 2']);
    expect(body('@a = 1;')).toEqual(['@a = 1']);
  });

  it('statements may span lines', () => {
    expect(body('@a =\n  1 +\n  2\n;\n@b = 3\n')).toEqual(['@a = (+ 1 2)', '@b = 3']);
  });
});
