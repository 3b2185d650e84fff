// Syntax errors: assert the code and the span (line:column-line:column, end exclusive),
// not the wording. Hints are checked only where they carry information (a position).
import { describe, expect, it } from 'vitest';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';

function diagnostics(src: string): Diagnostic[] {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(src)} not to parse`);
}

/** `CODE@line:col-line:col` for each diagnostic. */
function errors(src: string): string[] {
  return diagnostics(src).map((d) => {
    const s = d.span;
    return s ? `${d.code}@${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}` : d.code;
  });
}

describe('program structure', () => {
  it('NT0107 for an empty program, or only comments', () => {
    expect(errors('')).toEqual(['NT0107@1:1-1:1']);
    expect(errors('  // nothing here\n/* nor here */\n')).toEqual(['NT0107@1:1-1:1']);
  });

  it('statements outside a probe block', () => {
    expect(errors('@a = 1')).toEqual(['NT0102@1:1-1:3']);
  });

  it('a probe without a block', () => {
    expect(errors('xdp:eth0 @a = 1')).toEqual(['NT0102@1:10-1:12']);
    expect(errors('xdp:eth0')).toEqual(['NT0102@1:9-1:9']);
  });

  it('a space inside a probe', () => {
    const [d] = diagnostics('xdp: eth0 { }');
    expect(d!.code).toBe('NT0102');
    expect(d!.span!.start.column).toBe(6);
    expect(d!.hints.join(' ')).toContain('xdp:eth0');
  });

  it('a stray closing brace after a block', () => {
    expect(errors('BEGIN { } }')).toEqual(['NT0102@1:11-1:12']);
  });
});

describe('statements', () => {
  it("a missing ';' between statements points at the second statement", () => {
    expect(errors('BEGIN { @a = 1 @b = 2 }')).toEqual(['NT0102@1:16-1:18']);
    expect(errors('xdp:eth0 < @a = 1 $b = 2 >')).toEqual(['NT0102@1:19-1:21']);
  });

  it('a missing expression', () => {
    expect(errors('BEGIN { @a = }')).toEqual(['NT0102@1:14-1:15']);
  });

  it('assigning to something that is not a map or variable', () => {
    expect(errors('BEGIN { 1 = 2; f() += 3 }')).toEqual(['NT0102@1:9-1:10', 'NT0102@1:16-1:19']);
  });

  it('`=` in an if condition', () => {
    const [d] = diagnostics('BEGIN { if (a = 1) { } }');
    expect(errors('BEGIN { if (a = 1) { } }')).toEqual(['NT0102@1:15-1:16']);
    expect(d!.hints.join(' ')).toContain('==');
  });

  it('an unclosed block: the error is at the end, the hint names the opening brace', () => {
    const src = 'BEGIN {\n  @a = count()\n';
    expect(errors(src)).toEqual(['NT0102@2:15-2:15']);
    expect(diagnostics(src)[0]!.hints.join(' ')).toContain('1:7');
  });

  it('an unclosed call: the hint names the opening parenthesis', () => {
    const src = 'BEGIN { printf("x" }';
    expect(errors(src)).toEqual(['NT0102@1:20-1:21']);
    expect(diagnostics(src)[0]!.hints.join(' ')).toContain('1:15');
  });

  it('an unclosed predicate', () => {
    const src = 'xdp:eth0 /ip.len > 0 { }';
    expect(errors(src)).toEqual(['NT0102@1:22-1:23']);
    expect(diagnostics(src)[0]!.hints.join(' ')).toContain('1:10');
  });

  it('a division at the top of a predicate ends it', () => {
    expect(errors('xdp:eth0 /a / 2 > 1/ { }')).toEqual(['NT0102@1:15-1:16']);
  });

  it('an if without parentheses', () => {
    const [d] = diagnostics('BEGIN { if x { } }');
    expect(errors('BEGIN { if x { } }')).toEqual(['NT0102@1:12-1:13']);
    expect(d!.hints.join(' ')).toContain('if (');
  });

  it('a stray else', () => {
    expect(errors('BEGIN { else { } }')).toEqual(['NT0102@1:9-1:13']);
  });
});

describe('several errors', () => {
  it('one per block, each block parsed on its own', () => {
    expect(errors('BEGIN { @a = }\nEND { @b = }')).toEqual(['NT0102@1:14-1:15', 'NT0102@2:12-2:13']);
  });

  it('several in one block when the parser recovers at a statement boundary', () => {
    expect(errors('BEGIN { @a = ; @b = ; @c = 1 }')).toEqual(['NT0102@1:14-1:15', 'NT0102@1:21-1:22']);
  });

  it('a bracket mismatch does not hide the next block', () => {
    expect(errors('xdp:eth0 { @a[1} = 2 } tc:eth0 { @x = }')).toEqual(['NT0102@1:16-1:17', 'NT0102@1:39-1:40']);
  });

  it('literal errors are all reported', () => {
    expect(errors('BEGIN { @a = 300.1.1.1; @b = 1.2.3.4/33; @c = "\\q" }')).toEqual([
      'NT0106@1:14-1:17', 'NT0106@1:37-1:40', 'NT0108@1:48-1:50',
    ]);
  });
});

describe('lexing errors through parse()', () => {
  it('NT0101 unknown character; later errors in the same block are not piled on', () => {
    expect(errors('BEGIN { @a = 1 # 2 }')).toEqual(['NT0101@1:16-1:17']);
    expect(errors('BEGIN { @a = `x` }')).toEqual(['NT0101@1:14-1:15', 'NT0101@1:16-1:17']);
  });

  it('NT0103 unterminated string', () => {
    expect(errors('BEGIN { printf("abc) }')).toEqual(['NT0103@1:16-1:23']);
  });

  it('NT0104 unterminated comment', () => {
    expect(errors('BEGIN { } /* forever')).toEqual(['NT0104@1:11-1:13']);
  });
});

describe('NT0106 malformed literals, with the span of the bad part', () => {
  const at = (lit: string): string[] => errors(`BEGIN { $x = ${lit} }`);
  // the literal starts at column 14
  it('IPv4 octet out of range, leading zero, wrong count', () => {
    expect(at('10.0.256.1')).toEqual(['NT0106@1:19-1:22']);
    expect(at('10.01.0.1')).toEqual(['NT0106@1:17-1:19']);
    expect(at('1.2.3')).toEqual(['NT0106@1:14-1:19']);
  });

  it('prefix too long', () => {
    expect(at('10.0.0.0/33')).toEqual(['NT0106@1:22-1:25']);
    expect(at('2001:db8::/129')).toEqual(['NT0106@1:24-1:28']);
  });

  it('bad IPv6', () => {
    expect(at('1::2::3')).toEqual(['NT0106@1:14-1:21']);
    expect(at('12345::1')).toEqual(['NT0106@1:14-1:22']);
    expect(at('::1.2.3.400')).toEqual(['NT0106@1:14-1:25']);
  });

  it('bad integers', () => {
    expect(at('99999999999999999999')).toEqual(['NT0106@1:14-1:34']);
    expect(at('123abc')).toEqual(['NT0106@1:14-1:20']);
    expect(at('0x')).toEqual(['NT0106@1:14-1:16']);
    expect(at('09')).toEqual(['NT0106@1:14-1:16']);
    expect(at('1__0')).toEqual(['NT0106@1:14-1:18']);
  });

  it('NT0108 bad escapes, with the span of the escape', () => {
    expect(at('"ab\\xZZ"')).toEqual(['NT0108@1:17-1:21']);
    expect(at('"a\\qb"')).toEqual(['NT0108@1:16-1:18']);
  });
});

describe('NT0105: an unparenthesised `>` in a `< ... >` block', () => {
  const angle = (src: string): Diagnostic => {
    const d = diagnostics(src).find((x) => x.code === 'NT0105');
    if (!d) throw new Error(`no NT0105 for ${src}`);
    return d;
  };

  it('reports the `>` that closed the block, with the parenthesise hint, and nothing else', () => {
    const src = 'tc:eth0 < $x = ip.len > 100; @a = count() >';
    expect(errors(src)).toEqual(['NT0105@1:23-1:24']);
    expect(angle(src).hints[0]).toBe(
      'in a `< ... >` block a `>` at statement level closes the block; put the comparison in parentheses: `(a > b)`',
    );
  });

  it('also when the right operand looks like a probe name', () => {
    expect(errors('xdp:eth0 < $x = a > b >')).toEqual(['NT0105@1:19-1:20']);
    expect(errors('xdp:eth0 < @x = ip.len > tcp.dport >')).toEqual(['NT0105@1:24-1:25']);
  });

  it('for `>=` and `>>`', () => {
    expect(errors('xdp:eth0 < $x = a >= 1 >')).toEqual(['NT0105@1:19-1:20']);
    expect(errors('xdp:eth0 < @x = a >> 2 >')).toEqual(['NT0105@1:19-1:20']);
  });

  it('reports each misused `>`', () => {
    expect(errors('xdp:eth0 < $x = a > 1; $y = b > 2 >')).toEqual(['NT0105@1:19-1:20', 'NT0105@1:31-1:32']);
  });

  it('keeps checking the rest of the program', () => {
    expect(errors('xdp:eth0 < $x = a > 1 >\nBEGIN { @a = }')).toEqual(['NT0105@1:19-1:20', 'NT0102@2:14-2:15']);
  });

  it('is not reported when reading the `>` as a comparison does not help either', () => {
    // a stray ')' or '>' after a finished block: the error is that token, not the '>'
    expect(errors('xdp:eth0 < @a = count() > )')).toEqual(['NT0102@1:27-1:28']);
    expect(errors('xdp:eth0 < @a = count() > >')).toEqual(['NT0102@1:27-1:28']);
  });

  it('is not reported when the next thing is a real probe', () => {
    expect(errors('xdp:eth0 < @a = 1 > xdp:eth1 @b = 2 >').map((e) => e.split('@')[0])).not.toContain('NT0105');
  });

  it('comparisons inside brackets are fine', () => {
    expect(() => parse('xdp:eth0 < @x[ip.len > 100] = count() >')).not.toThrow();
    expect(() => parse('xdp:eth0 < if (ip.len > 100) { @big = count() } >')).not.toThrow();
    expect(() => parse('xdp:eth0 < $x = (ip.len >= 100) + (a >> 2) >')).not.toThrow();
  });
});

describe('nesting limits', () => {
  it('NT0109 for brackets nested too deep', () => {
    const src = `BEGIN { $x = ${'('.repeat(200)}1${')'.repeat(200)} }`;
    const [d] = diagnostics(src);
    expect(d!.code).toBe('NT0109');
    expect(d!.span!.start.offset).toBe(src.indexOf('(') + 99);
  });

  it('NT0109 (not a crash) for operator chains deeper than the stack', () => {
    expect(diagnostics(`BEGIN { $x = ${'!'.repeat(100000)}1 }`).map((d) => d.code)).toEqual(['NT0109']);
    // and the parser still works afterwards
    expect(parse('BEGIN { @a = 1 }').blocks).toHaveLength(1);
  });
});
