import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src/model/ast.js';
import { parse } from '../../../src/parser/index.js';
import { show } from './show.js';

function expr(src: string): Expr {
  const s = parse(`BEGIN { $x = ${src} }`).blocks[0]!.body[0]!;
  if (s.kind !== 'VarAssign') throw new Error(`not an assignment: ${s.kind}`);
  return s.value;
}
const tree = (src: string): string => show(expr(src));

describe('precedence (C order)', () => {
  it('* over +, + over <<, << over <, < over ==, == over &, & over ^, ^ over |, | over &&, && over ||', () => {
    expect(tree('1 + 2 * 3')).toBe('(+ 1 (* 2 3))');
    expect(tree('1 << 2 + 3')).toBe('(<< 1 (+ 2 3))');
    expect(tree('1 < 2 << 3')).toBe('(< 1 (<< 2 3))');
    expect(tree('1 == 2 < 3')).toBe('(== 1 (< 2 3))');
    expect(tree('1 & 2 == 3')).toBe('(& 1 (== 2 3))');
    expect(tree('1 ^ 2 & 3')).toBe('(^ 1 (& 2 3))');
    expect(tree('1 | 2 ^ 3')).toBe('(| 1 (^ 2 3))');
    expect(tree('1 && 2 | 3')).toBe('(&& 1 (| 2 3))');
    expect(tree('1 || 2 && 3')).toBe('(|| 1 (&& 2 3))');
  });

  it('the same, written the other way round', () => {
    expect(tree('a * b + c')).toBe('(+ (* a b) c)');
    expect(tree('a && b || c && d')).toBe('(|| (&& a b) (&& c d))');
  });

  it('binary operators are left-associative', () => {
    expect(tree('a - b - c')).toBe('(- (- a b) c)');
    expect(tree('a / b * c % d')).toBe('(% (* (/ a b) c) d)');
    expect(tree('a << b >> c')).toBe('(>> (<< a b) c)');
  });

  it('`in` binds like a relational operator', () => {
    expect(tree('ip.src in 10.0.0.0/8 && tcp')).toBe('(&& (in ip.src addr4[10.0.0.0/8]) tcp)');
    expect(tree('a == b in c')).toBe('(== a (in b c))');
    expect(tree('a in b + c')).toBe('(in a (+ b c))');
  });

  it('ternary is lowest and right-associative', () => {
    expect(tree('a || b ? c + 1 : d')).toBe('(? (|| a b) (+ c 1) d)');
    expect(tree('a ? b : c ? d : e')).toBe('(? a b (? c d e))');
    expect(tree('a ? b ? c : d : e')).toBe('(? a (? b c d) e)');
  });

  it('unary binds tighter than binary, postfix tighter than unary', () => {
    expect(tree('-a * !b')).toBe('(* (- a) (! b))');
    expect(tree('~a.b')).toBe('(~ a.b)');
    expect(tree('- -a')).toBe('(- (- a))');
    expect(tree('a - -1')).toBe('(- a (- 1))');
  });

  it('parentheses override', () => {
    expect(tree('(1 + 2) * 3')).toBe('(* (+ 1 2) 3)');
  });
});

describe('casts', () => {
  it('to a scalar type, struct pointers, and names followed by *', () => {
    expect(tree('(u32)x + 1')).toBe('(+ (cast u32 x) 1)');
    expect(tree('(struct sock *)args.sk')).toBe('(cast struct sock* args.sk)');
    expect(tree('(sk_buff **)p')).toBe('(cast sk_buff** p)');
    expect(tree('(struct sock *)p->sk_state')).toBe('(cast struct sock* p->sk_state)');
  });

  it('a parenthesised name that is not a type is just parenthesised', () => {
    expect(tree('(pid) - 1')).toBe('(- pid 1)');
    expect(tree('(a * b)')).toBe('(* a b)');
  });

  it('records the type name and pointer depth', () => {
    expect(expr('(struct sock *)p')).toMatchObject({ kind: 'Cast', typeName: 'struct sock', pointer: 1 });
  });
});

describe('postfix and primaries', () => {
  it('field access with . and ->, chained', () => {
    expect(tree('args.skb.ip.src')).toBe('args.skb.ip.src');
    const e = expr('args->sk->state');
    expect(e).toMatchObject({ kind: 'Field', name: 'state', arrow: true, object: { kind: 'Field', name: 'sk', arrow: true } });
  });

  it('keywords may be field names', () => {
    expect(tree('args.in + args.if')).toBe('(+ args.in args.if)');
  });

  it('calls, maps, variables', () => {
    expect(tree('lhist(ip.len, 0, 1500, 100)')).toBe('lhist(ip.len, 0, 1500, 100)');
    expect(tree('@m[a, b] + @ + $y')).toBe('(+ (+ @m[a, b] @) $y)');
  });

  it('true and false', () => {
    expect(expr('true')).toMatchObject({ kind: 'Bool', value: true });
    expect(expr('false')).toMatchObject({ kind: 'Bool', value: false });
  });
});

describe('literal values', () => {
  it('integers: decimal, underscores, hex, octal, binary, exponent, C suffixes', () => {
    const v = (s: string): bigint => (expr(s) as { value: bigint }).value;
    expect(v('42')).toBe(42n);
    expect(v('1_000_000')).toBe(1000000n);
    expect(v('0x1f')).toBe(31n);
    expect(v('0XFF_FF')).toBe(65535n);
    expect(v('0755')).toBe(493n);
    expect(v('0b1010')).toBe(10n);
    expect(v('1e6')).toBe(1000000n);
    expect(v('10u')).toBe(10n);
    expect(v('0')).toBe(0n);
    expect(v('18446744073709551615')).toBe(18446744073709551615n);
  });

  it('strings with escapes decoded', () => {
    expect(expr('"a\\tb\\n\\\\ \\"q\\" \\x41"')).toMatchObject({ kind: 'Str', value: 'a\tb\n\\ "q" A' });
  });

  it('IPv4, CIDR', () => {
    expect(expr('192.168.1.254')).toMatchObject({ kind: 'Addr', family: 4, bytes: [192, 168, 1, 254] });
    expect(expr('10.0.0.0/8')).toMatchObject({ kind: 'Addr', family: 4, bytes: [10, 0, 0, 0], prefix: 8 });
    expect(expr('10.0.0.1')).not.toHaveProperty('prefix');
  });

  it('IPv6 forms', () => {
    const bytes = (s: string): number[] => (expr(s) as { bytes: number[] }).bytes;
    expect(bytes('::1')).toEqual([...new Array(15).fill(0), 1]);
    expect(bytes('fe80::1')).toEqual([0xfe, 0x80, ...new Array(13).fill(0), 1]);
    expect(bytes('::ffff:1.2.3.4')).toEqual([...new Array(10).fill(0), 0xff, 0xff, 1, 2, 3, 4]);
    expect(bytes('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(expr('2001:db8::/32')).toMatchObject({ kind: 'Addr', family: 6, prefix: 32, bytes: [0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(0)] });
  });

  it('MAC', () => {
    expect(expr('aa:bb:cc:dd:ee:FF')).toMatchObject({ kind: 'Mac', bytes: [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff] });
  });
});
