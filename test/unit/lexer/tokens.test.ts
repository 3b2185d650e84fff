import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/lexer/index.js';

/** `Kind(image)` for every token the parser would see. */
function lex(src: string): string[] {
  return tokenize(src).tokens.map((t) => `${t.tokenType.name}(${t.image})`);
}

/** Just the token kinds, for long inputs. */
function kinds(src: string): string[] {
  return tokenize(src).tokens.map((t) => t.tokenType.name);
}

describe('probes are lexed only in probe position', () => {
  it('at the start, after a block, and after a top-level comma', () => {
    expect(lex('xdp:eth0, tc:veth0:ingress { } BEGIN { } interval:s:1 < >')).toEqual([
      'Probe(xdp:eth0)', 'Comma(,)', 'Probe(tc:veth0:ingress)', 'LBrace({)', 'RBrace(})',
      'Probe(BEGIN)', 'LBrace({)', 'RBrace(})',
      'Probe(interval:s:1)', 'AngleOpen(<)', 'AngleClose(>)',
    ]);
  });

  it('keeps wildcards, dots and dashes in probe parts', () => {
    expect(lex('t:net:*,kprobe:tcp_*,xdp:veth-a.100,rawtracepoint:kfree_skb,tracepoint:sock:inet_sock_set_state,fentry:tcp_v4_rcv,interval:ms:100 {}')
      .filter((t) => t.startsWith('Probe'))).toEqual([
      'Probe(t:net:*)', 'Probe(kprobe:tcp_*)', 'Probe(xdp:veth-a.100)', 'Probe(rawtracepoint:kfree_skb)',
      'Probe(tracepoint:sock:inet_sock_set_state)', 'Probe(fentry:tcp_v4_rcv)', 'Probe(interval:ms:100)',
    ]);
  });

  it('stops a probe at the predicate slash and at the block brackets, without spaces', () => {
    expect(kinds('xdp:eth0/1/{}')).toEqual(['Probe', 'PredDelim', 'IntLit', 'PredDelim', 'LBrace', 'RBrace']);
    expect(kinds('xdp:eth0<@a=1>')).toEqual(['Probe', 'AngleOpen', 'MapName', 'Assign', 'IntLit', 'AngleClose']);
  });

  it('does not lex a probe inside a block: `c ? a:b` is a ternary', () => {
    expect(lex('BEGIN { $x = c ? a:b }').slice(3, 9)).toEqual([
      'Assign(=)', 'Ident(c)', 'Question(?)', 'Ident(a)', 'Colon(:)', 'Ident(b)',
    ]);
  });

  it('ternaries without spaces: `cond?1:2` is int colon int, never an address', () => {
    expect(lex('BEGIN { $x = cond?1:2 }').slice(4, 9)).toEqual(['Ident(cond)', 'Question(?)', 'IntLit(1)', 'Colon(:)', 'IntLit(2)']);
    expect(lex('BEGIN { $x = c?10:20 }').slice(6, 9)).toEqual(['IntLit(10)', 'Colon(:)', 'IntLit(20)']);
    expect(lex('BEGIN { $x = c?dead:beef }').slice(6, 9)).toEqual(['Ident(dead)', 'Colon(:)', 'Ident(beef)']);
    expect(lex('BEGIN { $x = c?0x1:0x2 }').slice(6, 9)).toEqual(['IntLit(0x1)', 'Colon(:)', 'IntLit(0x2)']);
  });

  it('a name after an operator at top level is not a probe (stray input after a block)', () => {
    expect(kinds('xdp:eth0 { } = foo:bar')).toEqual(['Probe', 'LBrace', 'RBrace', 'Assign', 'Ident', 'Colon', 'Ident']);
  });
});

describe('address literals', () => {
  const value = (src: string): string[] => lex(`BEGIN { $x = ${src} }`).slice(4, -1);

  it('IPv4 wins over int-dot-int', () => {
    expect(value('10.0.0.1')).toEqual(['Ipv4Lit(10.0.0.1)']);
  });

  it('CIDR: an address immediately followed by / and digits', () => {
    expect(value('10.0.0.0/8')).toEqual(['Ipv4Lit(10.0.0.0/8)']);
    expect(value('2001:db8::/32')).toEqual(['Ipv6Lit(2001:db8::/32)']);
  });

  it('dotted numbers of the wrong count are one (malformed) IPv4 token, not int-dot-int', () => {
    expect(value('1.2.3')).toEqual(['Ipv4Lit(1.2.3)']);
  });

  it('IPv6 needs `::` or eight groups', () => {
    expect(value('fe80::1')).toEqual(['Ipv6Lit(fe80::1)']);
    expect(value('::1')).toEqual(['Ipv6Lit(::1)']);
    expect(value('::')).toEqual(['Ipv6Lit(::)']);
    expect(value('1:2:3:4:5:6:7:8')).toEqual(['Ipv6Lit(1:2:3:4:5:6:7:8)']);
    expect(value('::ffff:1.2.3.4')).toEqual(['Ipv6Lit(::ffff:1.2.3.4)']);
  });

  it('a MAC (six two-digit hex groups) wins over IPv6', () => {
    expect(value('aa:bb:cc:dd:ee:ff')).toEqual(['MacLit(aa:bb:cc:dd:ee:ff)']);
    expect(value('00:11:22:33:44:55')).toEqual(['MacLit(00:11:22:33:44:55)']);
  });

  it('fewer than eight groups without `::` are not an address', () => {
    expect(value('1:2:3:4:5:6:7').filter((t) => t.startsWith('Ipv6') || t.startsWith('Mac'))).toEqual([]);
    expect(value('a:b').map((t) => t.split('(')[0])).toEqual(['Ident', 'Colon', 'Ident']);
  });

  it('inside a predicate, the closing slash after an address still closes it', () => {
    expect(kinds('xdp:eth0 /ip.src == 10.0.0.1/ { }')).toEqual([
      'Probe', 'PredDelim', 'Ident', 'Dot', 'Ident', 'EqEq', 'Ipv4Lit', 'PredDelim', 'LBrace', 'RBrace',
    ]);
    expect(kinds('xdp:eth0 /ip6.src == fe80::1/ { }')[6]).toBe('Ipv6Lit');
  });

  it('in probe position the probe wins, so `interval:s:1` is never an address', () => {
    expect(lex('interval:s:1 { }')[0]).toBe('Probe(interval:s:1)');
  });
});

describe('numbers, strings, names', () => {
  it('lexes digits with trailing name characters as one number token', () => {
    expect(lex('BEGIN { $x = 0x1f + 1_000 + 123abc }').slice(4, 9)).toEqual([
      'IntLit(0x1f)', 'Plus(+)', 'IntLit(1_000)', 'Plus(+)', 'IntLit(123abc)',
    ]);
  });

  it('keywords only as whole words', () => {
    expect(kinds('BEGIN { if (iffy in inner) { } else { } }')).toEqual([
      'Probe', 'LBrace', 'If', 'LParen', 'Ident', 'In', 'Ident', 'RParen', 'LBrace', 'RBrace', 'Else', 'LBrace', 'RBrace', 'RBrace',
    ]);
  });

  it('maps, the anonymous map, variables', () => {
    expect(lex('BEGIN { @[$k] = @m }').slice(2)).toEqual(['MapName(@)', 'LBracket([)', 'Var($k)', 'RBracket(])', 'Assign(=)', 'MapName(@m)', 'RBrace(})']);
  });

  it('strings with escapes are one token', () => {
    expect(lex('BEGIN { printf("a \\"b\\" %d\\n", 1) }')[4]).toBe('StringLit("a \\"b\\" %d\\n")');
  });

  it('longest operators first', () => {
    expect(kinds('BEGIN { $a <<= 1; $b >>= 2; $c = a << b >> c <= d >= e != f == g && h || i -> j; $d++; $e-- }'))
      .toEqual(expect.arrayContaining(['ShlAssign', 'ShrAssign', 'Shl', 'Shr', 'Le', 'Ge', 'NotEq', 'EqEq', 'AndAnd', 'OrOr', 'Arrow', 'PlusPlus', 'MinusMinus']));
  });
});

describe('the one-liner block `< ... >`', () => {
  it('a `>` at statement level closes the block; inside brackets it is a comparison', () => {
    expect(kinds('xdp:eth0 < if (ip.len > 100) { @big[ip.len > 1] = count() } >')).toEqual([
      'Probe', 'AngleOpen', 'If', 'LParen', 'Ident', 'Dot', 'Ident', 'Gt', 'IntLit', 'RParen',
      'LBrace', 'MapName', 'LBracket', 'Ident', 'Dot', 'Ident', 'Gt', 'IntLit', 'RBracket', 'Assign', 'Ident', 'LParen', 'RParen', 'RBrace',
      'AngleClose',
    ]);
  });

  it('`<` inside the block is a comparison; `>=` and `>>` at statement level start with the closer', () => {
    expect(kinds('xdp:eth0 < $x = a < b >')).toEqual(['Probe', 'AngleOpen', 'Var', 'Assign', 'Ident', 'Lt', 'Ident', 'AngleClose']);
    expect(kinds('xdp:eth0 < $x = a >= b >').slice(5, 7)).toEqual(['AngleClose', 'Assign']);
  });

  it('a `<` inside a predicate is a comparison, not a block', () => {
    expect(kinds('xdp:eth0 /ip.len < 100/ < @a = 1 >')).toEqual([
      'Probe', 'PredDelim', 'Ident', 'Dot', 'Ident', 'Lt', 'IntLit', 'PredDelim', 'AngleOpen', 'MapName', 'Assign', 'IntLit', 'AngleClose',
    ]);
  });

  it('can be told to read a given `>` as a comparison (the NT0105 re-lex)', () => {
    const src = 'xdp:eth0 < $x = a > b >';
    const r = tokenize(src, { notAngleClose: new Set([src.indexOf('>')]) });
    expect(r.tokens.map((t) => t.tokenType.name)).toEqual(['Probe', 'AngleOpen', 'Var', 'Assign', 'Ident', 'Gt', 'Ident', 'AngleClose']);
  });
});

describe('block boundaries', () => {
  it('records where each top-level block ends', () => {
    const src = 'BEGIN { if (a) { } } xdp:eth0 < @a = 1 > END { }';
    const r = tokenize(src);
    expect(r.blockEnds.map((i) => r.tokens[i]!.startOffset)).toEqual([src.indexOf('} xdp'), src.indexOf('> END'), src.length - 1]);
  });

  it('reports unclosed brackets at the end', () => {
    const r = tokenize('BEGIN { f(1');
    expect(r.unclosed.map((f) => f.kind)).toEqual(['block', 'paren']);
  });

  it('a `}` closes a block even past an unclosed `(`, so later probes still lex as probes', () => {
    expect(kinds('BEGIN { f( } END { }')).toEqual(['Probe', 'LBrace', 'Ident', 'LParen', 'RBrace', 'Probe', 'LBrace', 'RBrace']);
  });
});

describe('comments and lexing errors', () => {
  it('skips // and /* */ comments and a #! first line', () => {
    expect(kinds('#!/usr/bin/env nettrace\n// hi\nBEGIN /* x\ny */ { }')).toEqual(['Probe', 'LBrace', 'RBrace']);
  });

  it('NT0101 for an unknown character, with its span', () => {
    const r = tokenize('BEGIN { # }');
    expect(r.diagnostics.map((d) => [d.code, d.span!.start.column, d.span!.end.column])).toEqual([['NT0101', 9, 10]]);
  });

  it('NT0103 for an unterminated string; the parser still sees a string', () => {
    const r = tokenize('BEGIN { printf("abc\n}');
    expect(r.diagnostics.map((d) => [d.code, d.span!.start.offset, d.span!.end.offset])).toEqual([['NT0103', 15, 19]]);
    expect(r.tokens.map((t) => t.tokenType.name)).toContain('UnterminatedString');
  });

  it('NT0104 for an unterminated block comment, spanning its /*', () => {
    const r = tokenize('BEGIN { }\n/* never closed');
    expect(r.diagnostics.map((d) => [d.code, d.span!.start.line, d.span!.start.column, d.span!.end.column])).toEqual([['NT0104', 2, 1, 3]]);
  });

  it('a # later than the first line is not a shebang', () => {
    expect(tokenize('BEGIN { }\n#!x').diagnostics[0]!.code).toBe('NT0101');
  });
});
