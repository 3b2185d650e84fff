// Deep expressions never overflow the stack: long chains of one operator are walked with
// loops by every pass (parser, checker, codegen, LLVM), other nesting stops at
// MAX_EXPRESSION_DEPTH with a positioned NT0109; literal sets `x in {...}` are checked.
import { describe, expect, it } from 'vitest';
import { check } from '../../../src/check/index.js';
import { generate } from '../../../src/codegen/index.js';
import { emitProgramObject } from '../../../src/codegen/emit-object.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { DiagnosticError } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';
import { MAX_EXPRESSION_DEPTH } from '../../../src/parser/depth.js';

const env: KernelEnv = { interfaces: () => ['eth0', 'lo'] };

function compileAll(text: string): void {
  emitProgramObject(generate(check(parse(text), env)));
}

/** [code, message, underlined text] of each diagnostic. */
function found(text: string): [string, string, string][] {
  try {
    compileAll(text);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return e.diagnostics.map((d) => [d.code, d.message, d.span ? text.slice(d.span.start.offset, d.span.end.offset) : '']);
  }
  return [];
}

describe('long chains', () => {
  it.each([
    ['a 3000-term sum', `xdp:lo { @x = pkt.len${' + 1'.repeat(3000)} }`],
    ['2500 || alternatives', `xdp:lo / ${Array.from({ length: 2500 }, (_, i) => `ip.src == 10.0.${i >> 8}.${i & 255}`).join(' || ')} / { @x = count() }`],
    ['3000 && terms', `xdp:lo / ${Array.from({ length: 3000 }, (_, i) => `pkt.len != ${i}`).join(' && ')} / { @x = count() }`],
    ['a 3000-term product in a printf argument', `BEGIN { printf("%d\\n", 1${' * 1'.repeat(3000)}) }`],
    ['a 2000-term chain of mixed operators', `BEGIN { @x = 1${' + 2 - 1 * 3 / 1 % 7 | 4 & 5 ^ 6 << 1 >> 1'.repeat(200)} }`],
  ])('%s compiles to an object', (_what, text) => {
    expect(found(text)).toEqual([]);
  });

  it('nesting deeper than the limit is NT0109 at the expression that goes past it', () => {
    const depth = MAX_EXPRESSION_DEPTH + 50;
    const text = `BEGIN { @x = ${'~'.repeat(depth)}1 }`;
    expect(found(text)).toEqual([['NT0109', `this expression is nested more than ${MAX_EXPRESSION_DEPTH} deep`, `${'~'.repeat(depth - MAX_EXPRESSION_DEPTH)}1`]]);
    const ternaries = `BEGIN { @x = ${'pid == 1 ? 1 : '.repeat(depth)}0 }`;
    expect(found(ternaries)[0]?.[0]).toBe('NT0109');
  });

  it('nesting up to the limit compiles', () => {
    expect(found(`BEGIN { @x = ${'~'.repeat(MAX_EXPRESSION_DEPTH - 2)}1 }`)).toEqual([]);
    expect(found(`BEGIN { @x = ${'pid == 1 ? 1 : '.repeat(MAX_EXPRESSION_DEPTH / 2 - 2)}0 }`)).toEqual([]);
  });
});

describe('x in {...}', () => {
  it.each([
    ['a set of ports', 'xdp:lo / udp.dport in {53, 123} / { @x = count() }'],
    ['a set of IPv4 addresses', 'xdp:lo / ip.src in {10.0.0.1, 192.168.1.1} / { @x = count() }'],
    ['a set of IPv6 addresses', 'xdp:lo / ip6.src in {fe80::1, ::1, 2001:db8::ffff:1} / { @x = count() }'],
    ['a set of MACs in a block', 'xdp:lo { if (eth.dst in {ff:ff:ff:ff:ff:ff, 01:00:5e:00:00:01}) { @x = count() } }'],
    ['a set of large numbers', 'BEGIN { @x = pid in {18446744073709551615, 9007199254740993, 1} }'],
  ])('%s compiles', (_what, text) => {
    expect(found(text)).toEqual([]);
  });

  it.each([
    ['an empty set', 'xdp:lo / udp.dport in {} / { @x = count() }', 'NT0305', 'an empty set: nothing is in it', '{}'],
    ['a variable in a set', 'xdp:lo { $p = 53; @x = udp.dport in {$p, 80} }', 'NT0305', 'a set holds constants: numbers, addresses, MACs or constant names (NO_SOCKET)', '$p'],
    ['an address in a set of ports', 'xdp:lo / udp.dport in {53, 10.0.0.1} / { @x = count() }', 'NT0305', 'an address cannot be in a set compared with u16', '10.0.0.1'],
    ['a MAC in a set of IPv6 addresses', 'xdp:lo / ip6.src in {aa:bb:cc:dd:ee:ff} / { @x = count() }', 'NT0305', 'a MAC cannot be in a set compared with ipv6 address', 'aa:bb:cc:dd:ee:ff'],
    ['a set outside in', 'xdp:lo { @x = udp.dport == {53} }', 'NT0305', "a set {...} is only valid on the right of 'in'", '{53}'],
  ])('%s is refused', (_what, text, code, message, underlined) => {
    expect(found(text)).toEqual([[code, message, underlined]]);
  });
});
