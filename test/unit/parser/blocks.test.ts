import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/parser/index.js';
import { show, showStmt, withoutSpans } from './show.js';

const body = (src: string): string[] => parse(src).blocks[0]!.body.map(showStmt);

describe('probe blocks', () => {
  it('both block forms give the same body', () => {
    const angle = parse('xdp:eth0 < @[ip.src] = count() >').blocks[0]!;
    const brace = parse('xdp:eth0 { @[ip.src] = count() }').blocks[0]!;
    expect(angle.form).toBe('angle');
    expect(brace.form).toBe('brace');
    expect(withoutSpans(angle.body)).toEqual(withoutSpans(brace.body));
    expect(angle.body.map(showStmt)).toEqual(['@[ip.src] = count()']);
  });

  it('both forms agree on a larger body with if/else inside the angle form', () => {
    const stmts = 'if (ip.len > 100) { @big = count() } else { @small = count() }; $x = (ip.len > 1); @n++';
    const angle = parse(`xdp:eth0 < ${stmts} >`).blocks[0]!;
    const brace = parse(`xdp:eth0 { ${stmts} }`).blocks[0]!;
    expect(withoutSpans(angle.body)).toEqual(withoutSpans(brace.body));
  });

  it('splits probes into provider and parts, keeping the text', () => {
    const [block] = parse('tc:veth0:ingress, tracepoint:sock:inet_sock_set_state, t:net:*, BEGIN { }').blocks;
    expect(block!.probes.map((p) => [p.provider, p.parts, p.text])).toEqual([
      ['tc', ['veth0', 'ingress'], 'tc:veth0:ingress'],
      ['tracepoint', ['sock', 'inet_sock_set_state'], 'tracepoint:sock:inet_sock_set_state'],
      ['t', ['net', '*'], 't:net:*'],
      ['BEGIN', [], 'BEGIN'],
    ]);
  });

  it('parses several blocks of both forms', () => {
    const p = parse('BEGIN { } xdp:eth0 < @a = 1 > interval:s:1 { print(@a) }\nEND { exit() }');
    expect(p.blocks.map((b) => [b.probes[0]!.text, b.form])).toEqual([
      ['BEGIN', 'brace'], ['xdp:eth0', 'angle'], ['interval:s:1', 'brace'], ['END', 'brace'],
    ]);
  });

  it('allows empty blocks and empty statements', () => {
    expect(body('BEGIN { }')).toEqual([]);
    expect(body('BEGIN < >')).toEqual([]);
    expect(body('BEGIN { ;; @a = 1;; }')).toEqual(['@a = 1']);
  });

  it('ignores comments and a shebang line', () => {
    const src = '#!/usr/local/bin/nettrace\n// count\nBEGIN { /* one */ @a = 1 // trailing\n}';
    expect(body(src)).toEqual(['@a = 1']);
  });
});

describe('predicates', () => {
  it('takes an expression between slashes', () => {
    const b = parse('xdp:eth0 /ip.proto == 6 && tcp.dport == 80/ { @a = count() }').blocks[0]!;
    expect(show(b.predicate!)).toBe('(&& (== ip.proto 6) (== tcp.dport 80))');
  });

  it('works with the angle form, with `<` and `>` inside the predicate', () => {
    const b = parse('xdp:eth0 /ip.len < 100 || ip.len > 1000/ < @a = count() >').blocks[0]!;
    expect(show(b.predicate!)).toBe('(|| (< ip.len 100) (> ip.len 1000))');
    expect(b.form).toBe('angle');
  });

  it('accepts an address right before the closing slash, and CIDR with `in`', () => {
    expect(show(parse('xdp:eth0 /ip.src == 10.0.0.1/ { }').blocks[0]!.predicate!)).toBe('(== ip.src addr4[10.0.0.1])');
    expect(show(parse('xdp:eth0 /ip.src in 10.0.0.0/8/ { }').blocks[0]!.predicate!)).toBe('(in ip.src addr4[10.0.0.0/8])');
  });

  it('allows division inside parentheses', () => {
    expect(show(parse('xdp:eth0 /(pkt.len / 2) > 10/ { }').blocks[0]!.predicate!)).toBe('(> (/ pkt.len 2) 10)');
  });

  it('has no predicate when none is written', () => {
    expect(parse('BEGIN { }').blocks[0]!.predicate).toBeUndefined();
  });
});
