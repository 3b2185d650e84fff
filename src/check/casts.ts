// `(u32)x`, `(s8)x`, `(bool)x`: scalar casts. Integers truncate to the target width and
// take its signedness (`(s8)200` is -56, `(u8)-1` is 255), booleans become 0 or 1, and
// `(bool)x` is x != 0. Pointer and struct casts need BTF types and are not scalar casts.
import type { Cast } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { closest } from '../util/did-you-mean.js';
import type { ExprTyper, Scope } from './infer.js';
import { castTarget, castTypeNames } from './numeric.js';
import { type Type, typeName } from '../model/types.js';

export function typeCast(typer: ExprTyper, e: Cast, scope: Scope): Type | undefined {
  const inner = typer.type(e.expr, scope);
  const target = castTarget(e.typeName, e.pointer);
  if (!target) {
    const written = `${e.typeName}${'*'.repeat(e.pointer)}`;
    if (e.pointer > 0) return typer.report(E.TypeMismatch, `cannot cast to the pointer type '${written}' here`, e, 'scalar casts are (u8) ... (u64), (s8) ... (s64) and (bool)');
    const guess = closest(e.typeName, castTypeNames());
    return typer.report(E.TypeMismatch, `'${written}' is not a type nettrace can cast to`, e, guess ? `did you mean '${guess}'?` : 'scalar casts are (u8) ... (u64), (s8) ... (s64) and (bool)');
  }
  if (!inner) return undefined;
  if (inner.kind !== 'int' && inner.kind !== 'bool') {
    return typer.report(E.TypeMismatch, `cannot cast ${typeName(inner)} to ${typeName(target)}`, e, 'only numbers and booleans convert to numbers');
  }
  return target;
}
