// Checks statements: assignments create maps and variables, calls are known functions,
// aggregations sit only where they make sense.
import type { Call, Expr, MapAssign, MapRef, Stmt } from '../ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { AGGREGATIONS } from './builtins.js';
import type { AggKind, MapInfo, MapValue } from './checked.js';
import type { ExprTyper, Scope } from './infer.js';
import { sameType, type Type, typeName } from './types.js';

export class StatementChecker {
  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly typer: ExprTyper,
    private readonly maps: Map<string, MapInfo>,
  ) {}

  checkAll(body: Stmt[], scope: Scope): void {
    for (const s of body) this.check(s, scope);
  }

  private check(s: Stmt, scope: Scope): void {
    switch (s.kind) {
      case 'MapAssign':
        return this.mapAssign(s, scope);
      case 'VarAssign': {
        const t = this.typer.type(s.value, scope);
        if (t) scope.vars.set(s.target.name, t);
        return;
      }
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

  private exprStatement(e: Expr, scope: Scope): void {
    if (e.kind === 'Call') {
      if ((AGGREGATIONS as readonly string[]).includes(e.callee)) {
        this.diagnostics.push(error(E.AggregationMisuse, `${e.callee}() does nothing on its own`, e.span, `assign it to a map: @[key] = ${e.callee}(...)`));
        return;
      }
      this.typer.unknownFunction(e);
      return;
    }
    this.typer.type(e, scope);
  }

  private mapAssign(s: MapAssign, scope: Scope): void {
    const keyTypes = s.target.keys.map((k) => this.typer.type(k, scope));
    const value = this.mapValue(s, scope);
    if (!value || keyTypes.some((k) => !k)) return;
    this.record(s.target, keyTypes as Type[], value);
  }

  private mapValue(s: MapAssign, scope: Scope): MapValue | undefined {
    const v = s.value;
    if (v.kind === 'Call' && (AGGREGATIONS as readonly string[]).includes(v.callee)) {
      if (s.op !== '=') {
        this.diagnostics.push(error(E.AggregationMisuse, `an aggregation is assigned with '=', not '${s.op}='`, s.span));
        return undefined;
      }
      return this.aggregation(v, scope);
    }
    const t = this.typer.type(v, scope);
    if (!t) return undefined;
    if (t.kind === 'void') {
      this.diagnostics.push(error(E.TypeMismatch, 'this expression has no value to store', v.span));
      return undefined;
    }
    return { kind: 'scalar', type: t };
  }

  private aggregation(call: Call, scope: Scope): MapValue | undefined {
    const agg = call.callee as AggKind;
    if (agg !== 'count') {
      this.diagnostics.push(error(E.UnknownFunction, `${agg}() is not implemented yet`, call.calleeSpan, 'count() works today'));
      return undefined;
    }
    if (call.args.length !== 0) {
      this.diagnostics.push(error(E.WrongArgCount, `count() takes no arguments`, call.span));
      return undefined;
    }
    return { kind: 'agg', agg };
  }

  /** The first assignment fixes a map's key and value types; later ones must agree. */
  private record(target: MapRef, keyTypes: Type[], value: MapValue): void {
    const displayName = target.name === '' ? '@' : `@${target.name}`;
    const existing = this.maps.get(target.name);
    if (!existing) {
      this.maps.set(target.name, { displayName, keyTypes, value, span: target.span });
      return;
    }
    const keysAgree = existing.keyTypes.length === keyTypes.length && existing.keyTypes.every((t, i) => sameType(t, keyTypes[i]));
    if (!keysAgree) {
      const shown = (ts: Type[]) => (ts.length ? `[${ts.map(typeName).join(', ')}]` : 'no key');
      this.diagnostics.push(
        error(E.MapKindConflict, `${displayName} is keyed by ${shown(existing.keyTypes)} elsewhere, here by ${shown(keyTypes)}`, target.span),
      );
      return;
    }
    if (!sameValue(existing.value, value)) {
      this.diagnostics.push(error(E.MapKindConflict, `${displayName} holds ${describe(existing.value)} elsewhere, here ${describe(value)}`, target.span));
    }
  }
}

function sameValue(a: MapValue, b: MapValue): boolean {
  if (a.kind === 'agg' && b.kind === 'agg') return a.agg === b.agg;
  if (a.kind === 'scalar' && b.kind === 'scalar') return sameType(a.type, b.type);
  return false;
}

function describe(v: MapValue): string {
  return v.kind === 'agg' ? `${v.agg}()` : typeName(v.type);
}
