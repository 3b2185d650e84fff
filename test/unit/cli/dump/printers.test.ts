// -d ast, -d types and -d all's token list (issue 11): the exact text each printer makes.
import { describe, expect, it } from 'vitest';
import { astTree } from '../../../../src/cli/dump/ast-tree.js';
import { expressionTypes } from '../../../../src/cli/dump/expression-types.js';
import { tokenList } from '../../../../src/cli/dump/tokens.js';
import { check } from '../../../../src/check/index.js';
import type { KernelEnv } from '../../../../src/model/kernel-env.js';
import { parse } from '../../../../src/parser/index.js';

const env: KernelEnv = { interfaces: () => ['eth0'] };

describe('-d ast', () => {
  it('prints every kind of statement as an indented tree', () => {
    const text = 'xdp:eth0 /udp.dport == 53 && ip.src != 10.0.0.0/8/ { @x[ip.src] = count(); if (pkt.len > 100) { @big += 1 } else { $a = (u32)2; } printf("%d\\n", -pkt.len) }';
    expect(astTree(parse(text), text)).toBe(
      [
        'Program',
        ' xdp:eth0',
        '  predicate',
        '   &&',
        '    ==',
        '     .dport',
        '      ident: udp',
        '     int: 53',
        '    !=',
        '     .src',
        '      ident: ip',
        '     address: 10.0.0.0/8',
        '  =',
        '   map: @x',
        '    .src',
        '     ident: ip',
        '   call: count',
        '  if',
        '   >',
        '    .len',
        '     ident: pkt',
        '    int: 100',
        '   then',
        '    +=',
        '     map: @big',
        '     int: 1',
        '   else',
        '    =',
        '     variable: $a',
        '     cast: (u32)',
        '      int: 2',
        '  call: printf',
        '   string: "%d\\n"',
        '   -',
        '    .len',
        '     ident: pkt',
        '',
      ].join('\n'),
    );
  });

  it('prints a 3000-term chain without running out of stack', () => {
    const text = `xdp:eth0 { @x = pkt.len${' + 1'.repeat(3000)} }`;
    const lines = astTree(parse(text), text).split('\n');
    expect(lines.filter((l) => l.trim() === 'int: 1')).toHaveLength(3000);
    expect(lines[3]).toBe('   map: @x');
  });
});

describe('-d types', () => {
  it('prints each expression with its type, maps with their value', () => {
    const text = 'xdp:eth0 /udp/ { @[ip.src] = count(); @bytes += pkt.len; $a = (u32)2 }';
    expect(expressionTypes(check(parse(text), env), text)).toBe(
      [
        'xdp:eth0',
        ' udp : bool',
        ' @[ip.src] : count()',
        '  ip.src : ipv4 (u32)',
        '   ip : -',
        ' count() : -',
        ' @bytes : u64',
        ' pkt.len : u32',
        '  pkt : -',
        ' $a : u32',
        ' (u32)2 : u32',
        '  2 : u64',
        '',
      ].join('\n'),
    );
  });
});

describe("-d all's tokens", () => {
  it('prints line, column, kind and text of each token', () => {
    expect(tokenList('BEGIN {\n  exit()\n}')).toBe(['1:1 Probe "BEGIN"', '1:7 LBrace "{"', '2:3 Ident "exit"', '2:7 LParen "("', '2:8 RParen ")"', '3:1 RBrace "}"', ''].join('\n'));
  });
});
