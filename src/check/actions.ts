// Actions: `drop`, `pass`, `tx` as statements of xdp and tc probes. An action decides what
// happens to the packet and ends the program for it, as `return XDP_DROP;` does in C.
// This pass finds them, checks each probe of the block can take them, and lists the
// ones that change traffic: the runtime refuses to attach those without --unsafe.
import { ACTION_NAMES, type ActionName, type ActionUse } from '../model/actions.js';
import type { Expr, Stmt } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedProbe } from '../model/probe.js';

/** `pass` is what a probe does anyway; the others change what happens to the packet. */
export function changesTraffic(action: ActionName): boolean {
  return action !== 'pass';
}

export function isActionName(name: string): name is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(name);
}

/** The action a statement is, if it is one: a bare `drop`, `pass` or `tx`. */
export function actionOf(s: Stmt): ActionUse | undefined {
  if (s.kind !== 'ExprStmt') return undefined;
  return bareAction(s.expr);
}

function bareAction(e: Expr): ActionUse | undefined {
  return e.kind === 'Ident' && isActionName(e.name) ? { name: e.name, span: e.span } : undefined;
}

/** Every action statement in a block body, nested ones included, in source order. */
export function actionsIn(body: Stmt[]): ActionUse[] {
  const out: ActionUse[] = [];
  const walk = (stmts: Stmt[]) => {
    for (const s of stmts) {
      const action = actionOf(s);
      if (action) out.push(action);
      else if (s.kind === 'If') {
        walk(s.then);
        if (s.else) walk(s.else);
      } else if (s.kind === 'Block') walk(s.body);
    }
  };
  walk(body);
  return out;
}

/** Each action must be one every probe of its block can perform. */
export function checkActions(body: Stmt[], probes: ResolvedProbe[], diagnostics: Diagnostic[]): void {
  for (const action of actionsIn(body)) {
    const unable = probes.find((p) => p.verdicts?.[action.name] === undefined);
    if (!unable) continue;
    const hint =
      unable.verdicts !== undefined
        ? `${unable.kindName} probes can: ${Object.keys(unable.verdicts).join(', ')}; tx (send the packet back out where it came in) exists only in xdp`
        : 'actions decide what happens to a packet: they exist in xdp and tc probes';
    const where = unable.verdicts !== undefined ? `${unable.kindName} probes` : unable.text;
    diagnostics.push(error(E.ActionNotAllowed, `'${action.name}' cannot be used in ${where}`, action.span, hint));
  }
}

