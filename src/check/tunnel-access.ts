// `inner`, `inner.tcp`, `inner.ip.src`: the packet inside a VXLAN, Geneve or GRE tunnel,
// with the outer packet's headers, fields and types (codegen/tunnel.ts parses it).
import type { Expr, FieldAccess, Ident } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { HEADERS, isHeaderName } from '../packet/model.js';
import { closest } from '../util/did-you-mean.js';
import type { ExprTyper, Scope } from './infer.js';
import { bool, type Type } from '../model/types.js';

export const TUNNEL_NAME = 'inner';

/** `inner` alone: the packet carries a tunnelled packet nettrace found. */
export function typeTunnel(typer: ExprTyper, e: Ident, scope: Scope): Type | undefined {
  return hasPacket(scope) ? bool : notInProbe(typer, e, scope);
}

/** True for `inner.X` and `inner.X.Y`, which typeInnerAccess types. */
export function isInnerAccess(e: FieldAccess): boolean {
  const o = e.object;
  return (o.kind === 'Ident' && o.name === TUNNEL_NAME) || (o.kind === 'Field' && o.object.kind === 'Ident' && o.object.name === TUNNEL_NAME);
}

export function typeInnerAccess(typer: ExprTyper, e: FieldAccess, scope: Scope): Type | undefined {
  if (!hasPacket(scope)) return notInProbe(typer, e, scope);
  if (e.object.kind === 'Ident') {
    // inner.tcp: a header of the tunnelled packet.
    if (isHeaderName(e.name)) return bool;
    const guess = closest(e.name, Object.keys(HEADERS));
    return typer.report(E.UnknownField, `the tunnelled packet has no header '${e.name}'`, { ...e, span: e.nameSpan }, guess ? `did you mean '${guess}'?` : '', `inner headers: ${Object.keys(HEADERS).join(', ')}`);
  }
  const header = (e.object as FieldAccess).name;
  if (!isHeaderName(header)) return typer.type(e.object, scope);
  const fields = HEADERS[header].fields;
  const spec = fields[e.name];
  if (spec) return spec.type;
  const guess = closest(e.name, Object.keys(fields));
  return typer.report(E.UnknownField, `${header} has no field '${e.name}'`, { ...e, span: e.nameSpan }, guess ? `did you mean '${guess}'?` : '', `${header} fields: ${Object.keys(fields).join(', ')}`);
}

function hasPacket(scope: Scope): boolean {
  return scope.context === 'xdp' || scope.context === 'skb';
}

function notInProbe(typer: ExprTyper, e: Expr, scope: Scope): undefined {
  return typer.report(E.NotInThisProbe, `tunnelled packets ('inner') cannot be read in ${scope.probeText}`, e, 'packet headers exist in xdp and tc probes');
}
