// Every user error the language core reports: its catalogue code and the exact source
// text it underlines (the span), not its wording.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { DiagnosticError, type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';

const env: KernelEnv = { interfaces: () => ['eth0', 'lo'] };

function diagnose(text: string): Diagnostic[] {
  try {
    check(parse(text), env);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  return [];
}

/** [code, underlined text] of each diagnostic. */
function found(text: string): [string, string][] {
  return diagnose(text).map((d) => [d.code, d.span ? text.slice(d.span.start.offset, d.span.end.offset) : '']);
}

const cases: [string, string, string, string][] = [
  // [what, program, code, underlined]
  ['an unknown printf conversion', 'BEGIN { printf("a %q\\n", 1) }', 'NT0312', '%q'],
  ['a format ending inside a conversion', 'BEGIN { printf("100%") }', 'NT0312', '%'],
  ['too few printf arguments', 'BEGIN { printf("%d %d\\n", 1) }', 'NT0304', 'printf("%d %d\\n", 1)'],
  ['too many printf arguments', 'BEGIN { printf("%d\\n", 1, 2) }', 'NT0304', '2'],
  ['a string for %d', 'BEGIN { printf("%d\\n", comm) }', 'NT0305', 'comm'],
  ['a format that is not a literal', 'BEGIN { $f = "x"; printf($f) }', 'NT0311', '$f'],
  ['printf without a format', 'BEGIN { printf() }', 'NT0304', 'printf()'],
  ['printf arguments too big for one record', `BEGIN { printf("${'%s'.repeat(17)}", ${Array(17).fill('comm').join(', ')}) }`, 'NT0311', `printf("${'%s'.repeat(17)}", ${Array(17).fill('comm').join(', ')})`],
  ['an aggregation without its argument', 'BEGIN { @s = sum() }', 'NT0304', 'sum()'],
  ['sum of a string', 'BEGIN { @s = sum(comm) }', 'NT0305', 'comm'],
  ['lhist with a zero step', 'xdp:eth0 { @l = lhist(pkt.len, 0, 100, 0) }', 'NT0311', '0'],
  ['lhist with hi below lo', 'xdp:eth0 { @l = lhist(pkt.len, 100, 10, 10) }', 'NT0311', '10'],
  ['lhist with a step that does not divide the range', 'xdp:eth0 { @l = lhist(pkt.len, 0, 100, 30) }', 'NT0311', '30'],
  ['lhist with a bound that is not constant', 'xdp:eth0 { @l = lhist(pkt.len, 0, pkt.len, 10) }', 'NT0311', 'pkt.len'],
  ['an aggregation read in a probe', 'BEGIN { @c = count(); @x = @c }', 'NT0309', '@c'],
  ['an aggregation on its own', 'BEGIN { count() }', 'NT0309', 'count()'],
  ['an aggregation with +=', 'BEGIN { @c += count() }', 'NT0309', '@c += count()'],
  ['a map holding two kinds of value', 'BEGIN { @m = 1; @m = "s" }', 'NT0307', '@m'],
  ['+= on an aggregation map', 'BEGIN { @m = count(); @m += 1 }', 'NT0307', '@m += 1'],
  ['a map read with the wrong number of keys', 'BEGIN { @m[1] = 1; @x = @m }', 'NT0307', '@m'],
  ['a map keyed two ways', 'BEGIN { @m[1] = 1; @m["a"] = 2 }', 'NT0307', '@m["a"]'],
  ['clear() of a map never assigned', 'BEGIN { @count = 1; clear(@cuont) }', 'NT0308', '@cuont'],
  // print(5) prints 5, as bpftrace's print(value) (src/functions/print-value.ts); only a map takes a top.
  ['print() of a value with a top', 'BEGIN { print(5, 2) }', 'NT0304', '2'],
  ['print() with a top that is not positive', 'BEGIN { @m = 1; print(@m, 0) }', 'NT0311', '0'],
  ['delete() of a map without keys', 'BEGIN { @m = 1; delete(@m) }', 'NT0311', '@m'],
  ['clear() of one entry', 'BEGIN { @m[1] = 1; clear(@m[1]) }', 'NT0305', '@m[1]'],
  ['exit() with an argument', 'BEGIN { exit(1) }', 'NT0304', 'exit(1)'],
  ['a variable given a second type', 'BEGIN { $x = 1; $x = "s" }', 'NT0305', '"s"'],
  ['+= on a variable never assigned', 'BEGIN { $y += 1 }', 'NT0308', '$y'],
  ['a cast of a string', 'BEGIN { $x = (u32)comm }', 'NT0305', '(u32)comm'],
  ['a misspelt function', 'BEGIN { prnt("x") }', 'NT0303', 'prnt'],
  ['BEGIN with parts', 'BEGIN:x { exit() }', 'NT0203', 'BEGIN:x'],
  ['an interval of zero', 'interval:s:0 { exit() }', 'NT0203', 'interval:s:0'],
  ['an interval with an unknown unit', 'interval:days:1 { exit() }', 'NT0203', 'interval:days:1'],
  ['packet fields in BEGIN', 'BEGIN { @x = pkt.len }', 'NT0306', 'pkt.len'],
  ['a tc-only builtin in xdp', 'xdp:eth0 { @x = mark }', 'NT0306', 'mark'],
  ['a misspelt builtin', 'BEGIN { @x = uidd }', 'NT0301', 'uidd'],
  ['bswap() of a string', 'BEGIN { @x = bswap(comm) }', 'NT0305', 'comm'],
  ['bswap() without an argument', 'BEGIN { @x = bswap() }', 'NT0304', 'bswap()'],
  ['bswap() with two arguments', 'BEGIN { @x = bswap(1, 2) }', 'NT0304', 'bswap(1, 2)'],
  ['bswap() of an unknown name', 'BEGIN { @x = bswap(nope) }', 'NT0301', 'nope'],
  ['a misspelt value function', 'BEGIN { @x = bsawp(1) }', 'NT0303', 'bsawp'],
  ['a statement function used as a value', 'BEGIN { @x = printf("x") }', 'NT0303', 'printf'],
];

describe('language diagnostics: code and span', () => {
  for (const [what, program, code, underlined] of cases) {
    it(what, () => {
      expect(found(program)).toContainEqual([code, underlined]);
    });
  }

  it('a misspelt map in clear() suggests the map', () => {
    const [d] = diagnose('BEGIN { @count = 1; clear(@cuont) }');
    expect(d.hints).toContain("did you mean '@count'?");
  });

  it('did-you-mean draws on the registries: builtins, aggregations, statement and value functions', () => {
    const hints = (program: string) => diagnose(program).flatMap((d) => d.hints ?? []);
    expect(hints('BEGIN { @x = uidd }')).toEqual(["did you mean 'uid'?"]);
    expect(hints('BEGIN { @x = cuont() }')).toEqual(["did you mean 'count'?"]);
    expect(hints('BEGIN { prnt(1) }')).toEqual(["did you mean 'print'?"]);
    expect(hints('BEGIN { @x = bsawp(1) }')).toEqual(["did you mean 'bswap'?"]);
    // A known statement function is not suggested to itself.
    expect(hints('BEGIN { @x = printf("x") }')).toEqual([]);
  });

  it('several independent errors are reported together', () => {
    const program = 'BEGIN { printf("%d\\n", comm); @s = sum(); prnt(1) } END { @l = lhist(1, 0, 10, 0) }';
    expect(found(program).map(([code]) => code)).toEqual(['NT0305', 'NT0304', 'NT0303', 'NT0311']);
  });

  it('a map may be read above the block that assigns it', () => {
    expect(diagnose('interval:s:1 { print(@n); @copy = @n } BEGIN { @n = 1 }')).toEqual([]);
  });

  it('the language core programs that should check do', () => {
    for (const program of [
      'BEGIN { $a = (u8)300; $b = (s64)$a * -1; @m[comm, pid] = $b; @n++; @n += 2; if (@n > 1) { exit() } else if ($a == 44) { print(@m, 3) } else { clear(@m) } }',
      'xdp:eth0, xdp:lo /udp/ { @h[ip.src] = hist(pkt.len); @l = lhist(pkt.len, 0, 1500, 100); @s = stats(pkt.len); @a = avg(pkt.len); printf("%s %u %-8s|\\n", ip.src, pkt.len, ip.proto) }',
      'interval:ms:100 { zero(@z); delete(@d[1]) } BEGIN { @z = count(); @d[1] = 1 } interval:1s { exit() }',
    ]) {
      expect(diagnose(program), program).toEqual([]);
    }
  });
});
