// `x in {A, B, C}`: x is one of the constants. The set holds literals of x's type
// (integers for numbers, addresses for ip.src / ip6.src, MACs for eth.src); codegen
// compares them as a tree of switches (codegen/set-membership.ts).
import type { Expr, SetLit } from '../model/ast.js';
import { looksLikeConstant } from '../model/constant-name.js';
import { E } from '../diagnostics/catalogue.js';
import { literalConstant } from '../model/literal-value.js';
import { bool, typeName, type Type } from '../model/types.js';

export interface SetReport {
  (entry: { code: string; summary: string }, message: string, at: { span: SetLit['span'] }, ...hints: string[]): undefined;
}

/** The type of `left in {...}` (bool), or undefined after reporting what does not fit. */
export function checkSetMembership(set: SetLit, left: Type | undefined, report: SetReport, constantOf: (e: Expr) => bigint | undefined = () => undefined): Type | undefined {
  if (set.elements.length === 0) return report(E.TypeMismatch, 'an empty set: nothing is in it', set, 'list the values: x in {1, 2, 3}');
  for (const el of set.elements) {
    // A named constant (NO_SOCKET, TCP_ESTABLISHED) the checker resolved is a number; one it
    // could not resolve is already reported (NT0313).
    if (el.kind === 'Ident' && looksLikeConstant(el.name)) {
      if (constantOf(el) === undefined) return undefined;
      if (left && left.kind !== 'int') return report(E.TypeMismatch, `a named constant cannot be in a set compared with ${typeName(left)}`, el);
      continue;
    }
    const c = literalConstant(el);
    if (!c) {
      return report(E.TypeMismatch, 'a set holds constants: numbers, addresses, MACs or constant names (NO_SOCKET)', el, 'compare with other values using ||: x == $a || x == $b');
    }
    if (!left) continue;
    const fits =
      c.kind === 'int'
        ? left.kind === 'int' && (el.kind !== 'Addr' || left.show === 'ipv4')
        : left.kind === 'bytes' && left.size === c.bytes.length && (left.show === 'mac') === (el.kind === 'Mac');
    if (!fits) return report(E.TypeMismatch, `${describe(el.kind)} cannot be in a set compared with ${typeName(left)}`, el);
  }
  return left ? bool : undefined;
}

function describe(kind: string): string {
  return kind === 'Addr' ? 'an address' : kind === 'Mac' ? 'a MAC' : 'a number';
}
