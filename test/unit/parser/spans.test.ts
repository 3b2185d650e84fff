import { describe, expect, it } from 'vitest';
import type { Span } from '../../../src/model/ast.js';
import { parse } from '../../../src/parser/index.js';

const where = (s: Span): string => `${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}`;

describe('spans', () => {
  const one = 'xdp:eth0 < @[ip.src] = count() >';
  const text = (s: Span): string => one.slice(s.start.offset, s.end.offset);

  it('a one-liner: block, probe, statement, field name, callee', () => {
    const p = parse(one);
    const block = p.blocks[0]!;
    expect(where(block.span)).toBe('1:1-1:33'); // from the probe to the closing '>' (end exclusive)
    expect(text(block.probes[0]!.span)).toBe('xdp:eth0');
    const s = block.body[0]!;
    if (s.kind !== 'MapAssign') throw new Error(s.kind);
    expect(text(s.span)).toBe('@[ip.src] = count()');
    expect(text(s.target.span)).toBe('@[ip.src]');
    const key = s.target.keys[0]!;
    if (key.kind !== 'Field' || s.value.kind !== 'Call') throw new Error('shape');
    expect(text(key.span)).toBe('ip.src');
    expect(text(key.nameSpan)).toBe('src');
    expect(where(key.nameSpan)).toBe('1:17-1:20');
    expect(text(s.value.span)).toBe('count()');
    expect(text(s.value.calleeSpan)).toBe('count');
    expect(where(p.span)).toBe('1:1-1:33');
  });

  it('a multi-line program', () => {
    const src = [
      'BEGIN { }', // 1
      '', // 2
      'xdp:eth0,', // 3
      '  tc:eth1:ingress', // 4
      '  /ip.len > 100/ {', // 5
      '    $n = (ip.len + 1) * 2;', // 6
      '    if ($n > 3) {', // 7
      '      @big[ip.src] = count()', // 8
      '    } else { @small++ }', // 9
      '}', // 10
    ].join('\n');
    const text = (s: Span): string => src.slice(s.start.offset, s.end.offset);
    const p = parse(src);
    const block = p.blocks[1]!;
    expect(where(block.span)).toBe('3:1-10:2');
    expect(block.probes.map((x) => where(x.span))).toEqual(['3:1-3:9', '4:3-4:18']);
    expect(where(block.predicate!.span)).toBe('5:4-5:16');
    expect(text(block.predicate!.span)).toBe('ip.len > 100');

    const [assign, ifStmt] = block.body;
    if (assign!.kind !== 'VarAssign' || assign!.value.kind !== 'Binary') throw new Error('shape');
    expect(where(assign!.span)).toBe('6:5-6:26');
    // a parenthesised operand: the product's span includes the parentheses
    expect(text(assign!.value.span)).toBe('(ip.len + 1) * 2');
    expect(text(assign!.value.left.span)).toBe('ip.len + 1');

    if (ifStmt!.kind !== 'If') throw new Error('shape');
    expect(where(ifStmt!.span)).toBe('7:5-9:24');
    const inner = ifStmt!.then[0]!;
    expect(where(inner.span)).toBe('8:7-8:29');
    const inc = ifStmt!.else![0]!;
    expect(text(inc.span)).toBe('@small++');
    if (inc.kind !== 'MapAssign') throw new Error('shape');
    expect(text(inc.value.span)).toBe('++');
  });

  it('columns count from 1 on each line, offsets from 0 in the whole text', () => {
    const src = 'BEGIN {\n\t@a = 1\n}';
    const s = parse(src).blocks[0]!.body[0]!;
    expect(s.span.start).toEqual({ offset: 9, line: 2, column: 2 });
    expect(s.span.end).toEqual({ offset: 15, line: 2, column: 8 });
  });

  it('casts, unary, ternary and calls cover their whole text', () => {
    const src = 'BEGIN { $x = c ? -(u32)a : f(b, "s") }';
    const text = (s: Span): string => src.slice(s.start.offset, s.end.offset);
    const s = parse(src).blocks[0]!.body[0]!;
    if (s.kind !== 'VarAssign' || s.value.kind !== 'Ternary') throw new Error('shape');
    expect(text(s.value.span)).toBe('c ? -(u32)a : f(b, "s")');
    expect(text(s.value.then.span)).toBe('-(u32)a');
    if (s.value.then.kind !== 'Unary') throw new Error('shape');
    expect(text(s.value.then.operand.span)).toBe('(u32)a');
    expect(text(s.value.else.span)).toBe('f(b, "s")');
  });
});
