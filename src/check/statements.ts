// Checks statements: assignments create maps and variables, calls are known functions,
// aggregations sit only where they make sense.
import type { Call, Expr, MapAssign, MapRef, Stmt, VarAssign } from '../model/ast.js';
import { findAggregation } from '../aggregations/registry.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findCallStatement, findValueFunction } from '../functions/registry.js';
import { closest } from '../util/did-you-mean.js';
import { isActionName } from './actions.js';
import type { MapInfo, MapValue } from '../model/checked.js';
import type { ExprTyper, Scope } from './infer.js';
import { arithmeticType, unify } from './numeric.js';
import { type IntType, type Type, typeName, u64 } from '../model/types.js';

export class StatementChecker {
  /** Every `$x = ...` target checked, with its scope: their final types are set at the end. */
  private readonly varTargets: { target: VarAssign['target']; scope: Scope }[] = [];

  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly typer: ExprTyper,
    private readonly maps: Map<string, MapInfo>,
    private readonly types?: Map<Expr, Type>,
  ) {}

  checkAll(body: Stmt[], scope: Scope): void {
    for (const s of body) this.check(s, scope);
  }

  /**
   * Gives every assignment target of `scope` the variable's final type: a string
   * variable assigned strings of several lengths is as long as the longest, so codegen
   * can give it one buffer.
   */
  finishScope(scope: Scope): void {
    for (const { target, scope: s } of this.varTargets) {
      const t = s === scope ? scope.vars.get(target.name) : undefined;
      if (t && this.types) this.types.set(target, t);
    }
  }

  private check(s: Stmt, scope: Scope): void {
    switch (s.kind) {
      case 'MapAssign':
        return this.mapAssign(s, scope);
      case 'VarAssign':
        return this.varAssign(s, scope);
      case 'If': {
        const c = this.typer.type(s.cond, scope);
        if (c) this.typer.expectScalar(c, s.cond);
        this.checkAll(s.then, scope);
        if (s.else) this.checkAll(s.else, scope);
        return;
      }
      case 'Block':
        return this.checkAll(s.body, scope);
      case 'ExprStmt':
        return this.exprStatement(s.expr, scope);
    }
  }

  /** `$x = v`, `$x += v`: the first assignment types $x; later ones must fit that type. */
  private varAssign(s: VarAssign, scope: Scope): void {
    const value = this.typer.type(s.value, scope);
    if (!value) return;
    const name = s.target.name;
    const existing = scope.vars.get(name);
    let t: Type | undefined = value;
    if (s.op !== '=') {
      if (!existing) return void this.report(E.UndefinedVariable, `$${name} is used before it is assigned`, s.target.span, `assign it first: $${name} = 0`);
      t = this.compoundType(s.op, existing, value, s.target, s.value);
      if (!t) return;
    }
    const unified = existing ? unify(existing, t) : t;
    if (!unified) {
      return void this.report(E.TypeMismatch, `$${name} holds ${typeName(existing!)}; it cannot also hold ${typeName(t)}`, s.value.span, 'use a second variable');
    }
    scope.vars.set(name, unified);
    this.varTargets.push({ target: s.target, scope });
    this.types?.set(s.target, unified);
  }

  private compoundType(op: string, current: Type, value: Type, target: Expr, valueExpr: Expr): IntType | undefined {
    if (current.kind !== 'int' || value.kind !== 'int') {
      const bad = current.kind !== 'int' ? current : value;
      this.report(E.TypeMismatch, `'${op}=' needs numbers, not ${typeName(bad)}`, current.kind !== 'int' ? target.span : valueExpr.span);
      return undefined;
    }
    const result = arithmeticType(op, current, value, target, valueExpr);
    // The stored value keeps the variable's own width and meaning.
    return { ...current, signed: current.signed || result.signed };
  }

  private exprStatement(e: Expr, scope: Scope): void {
    if (e.kind === 'Ident' && isActionName(e.name)) return; // checked by checkActions (actions.ts)
    if (e.kind !== 'Call' || findValueFunction(e.callee)) {
      this.typer.type(e, scope);
      return;
    }
    if (findAggregation(e.callee)) {
      this.report(E.AggregationMisuse, `${e.callee}() does nothing on its own`, e.span, `assign it to a map: @[key] = ${e.callee}(...)`);
      return;
    }
    const fn = findCallStatement(e.callee);
    if (!fn) {
      for (const a of e.args) this.typer.type(a, scope);
      this.typer.unknownFunction(e);
      return;
    }
    fn.check({
      call: e,
      typer: this.typer,
      scope,
      report: (entry, message, span, ...hints) => this.report(entry, message, span, ...hints),
      mapArgument: (arg, keyed) => this.mapArgument(e, arg, keyed, scope),
    });
  }

  /** `clear(@m)`, `delete(@m[k])`: the map must exist; keys are typed and counted. */
  private mapArgument(call: Call, arg: Expr, keyed: boolean, scope: Scope): MapInfo | undefined {
    if (arg.kind !== 'Map') {
      return this.report(E.TypeMismatch, `${call.callee}() takes a map${keyed ? ' entry, such as @m[key]' : ', such as @m'}`, arg.span);
    }
    const keyTypes = arg.keys.map((k) => this.typer.type(k, scope));
    const info = this.maps.get(arg.name);
    const shown = arg.name === '' ? '@' : `@${arg.name}`;
    if (!info) {
      const guess = closest(arg.name, [...this.maps.keys()].filter((n) => n !== ''));
      return this.report(E.UndefinedVariable, `${shown} is never assigned`, arg.span, guess !== undefined ? `did you mean '@${guess}'?` : '');
    }
    if (!keyed && arg.keys.length > 0) {
      return this.report(E.TypeMismatch, `${call.callee}() takes the whole map: ${call.callee}(${shown})`, arg.span);
    }
    if (keyed && info.keyTypes.length > 0 && keyTypes.length !== info.keyTypes.length) {
      return this.report(E.MapKindConflict, `${shown} has ${info.keyTypes.length} key${info.keyTypes.length === 1 ? '' : 's'}; here ${keyTypes.length}`, arg.span);
    }
    if (keyed) {
      for (let i = 0; i < keyTypes.length; i++) {
        const t = keyTypes[i];
        if (t && !unify(info.keyTypes[i], t)) {
          return this.report(E.MapKindConflict, `${shown} is keyed by ${typeName(info.keyTypes[i])} here, not ${typeName(t)}`, arg.keys[i].span);
        }
      }
    }
    return info;
  }

  private mapAssign(s: MapAssign, scope: Scope): void {
    const keyTypes = s.target.keys.map((k) => this.typer.type(k, scope));
    const value = this.mapValue(s, scope);
    if (!value || keyTypes.some((k) => !k)) return;
    this.record(s.target, keyTypes as Type[], value);
  }

  private mapValue(s: MapAssign, scope: Scope): MapValue | undefined {
    const v = s.value;
    const agg = v.kind === 'Call' ? findAggregation(v.callee) : undefined;
    if (agg && v.kind === 'Call') {
      if (s.op !== '=') return this.report(E.AggregationMisuse, `an aggregation is assigned with '=', not '${s.op}='`, s.span);
      const argTypes = v.args.map((a) => this.typer.type(a, scope));
      return agg.check({ call: v, argTypes, report: (entry, message, span, ...hints) => this.report(entry, message, span, ...hints) });
    }
    const t = this.typer.type(v, scope);
    if (!t) return undefined;
    if (s.op === '=') return { kind: 'scalar', type: t };
    // `@x += v`, `@x++`: a number map; a new one starts at zero.
    const existing = this.maps.get(s.target.name);
    if (existing?.value.kind === 'agg') {
      const shown = existing.displayName;
      return this.report(E.MapKindConflict, `${shown} holds ${existing.value.agg}(); '${s.op}=' needs a plain number map`, s.span);
    }
    const current = existing?.value.kind === 'scalar' ? existing.value.type : u64;
    if (current.kind !== 'int' || t.kind !== 'int') {
      return this.report(E.TypeMismatch, `'${s.op}=' needs numbers, not ${typeName(current.kind !== 'int' ? current : t)}`, current.kind !== 'int' ? s.target.span : v.span);
    }
    const result = arithmeticType(s.op, current, t, s.target, v);
    return { kind: 'scalar', type: { ...current, signed: current.signed || result.signed } };
  }

  /** The first assignment fixes a map's key and value types; later ones must agree. */
  private record(target: MapRef, keyTypes: Type[], value: MapValue): void {
    const displayName = target.name === '' ? '@' : `@${target.name}`;
    const existing = this.maps.get(target.name);
    if (!existing) {
      this.maps.set(target.name, { displayName, keyTypes, value, span: target.span });
      return;
    }
    const shown = (ts: Type[]) => (ts.length ? `[${ts.map(typeName).join(', ')}]` : 'no key');
    const unifiedKeys = existing.keyTypes.length === keyTypes.length ? existing.keyTypes.map((t, i) => unify(t, keyTypes[i])) : undefined;
    if (!unifiedKeys || unifiedKeys.some((t) => !t)) {
      this.report(E.MapKindConflict, `${displayName} is keyed by ${shown(existing.keyTypes)} elsewhere, here by ${shown(keyTypes)}`, target.span);
      return;
    }
    const unifiedValue = unifyValues(existing.value, value);
    if (!unifiedValue) {
      this.report(E.MapKindConflict, `${displayName} holds ${describe(existing.value)} elsewhere, here ${describe(value)}`, target.span);
      return;
    }
    existing.keyTypes = unifiedKeys as Type[];
    existing.value = unifiedValue;
  }

  private report(entry: { code: string; summary: string }, message: string, span: Expr['span'], ...hints: string[]): undefined {
    this.diagnostics.push(error(entry, message, span, ...hints));
    return undefined;
  }
}

/** Two uses of one map: the same aggregation (with the same constant parameters) or unifiable values. */
function unifyValues(a: MapValue, b: MapValue): MapValue | undefined {
  if (a.kind === 'agg' && b.kind === 'agg') {
    if (a.agg !== b.agg) return undefined;
    if (String(a.params) !== String(b.params)) return undefined; // lists of bigints compare as their text
    if (a.argType && b.argType) {
      const argType = unify(a.argType, b.argType);
      return argType ? { ...a, argType } : undefined;
    }
    return a;
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    const type = unify(a.type, b.type);
    return type ? { kind: 'scalar', type } : undefined;
  }
  return undefined;
}

function describe(v: MapValue): string {
  if (v.kind === 'scalar') return typeName(v.type);
  return v.params ? `${v.agg}(x, ${v.params.join(', ')})` : `${v.agg}()`;
}
