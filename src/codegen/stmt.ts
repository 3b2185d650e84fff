// Statements to LLVM. Each statement gets its own `next` block, which is also where a
// missing packet header sends it: the statement is skipped, the program goes on.
import type { Call, MapAssign, Stmt, VarAssign } from '../model/ast.js';
import type { FunctionContext } from './function-context.js';
import { ExprEmitter } from './expr.js';
import type { LLVM } from './llvm.js';
import { emitAggregate, emitKey } from './aggregate.js';
import { findCallStatement } from '../functions/registry.js';
import { emitScalarAssign } from './scalar-maps.js';
import { storeValue } from './typed-values.js';
import { variableBuffer, variableSlot } from './variables.js';
import { withStatementScratch } from './statement-scratch.js';
import { findAggregation } from '../aggregations/registry.js';
import { actionOf } from '../check/actions.js';
import { emitAction } from './actions.js';
import { callEmit } from './call-emit.js';

export class StmtEmitter {
  private readonly exprs: ExprEmitter;

  constructor(private readonly f: FunctionContext) {
    this.exprs = new ExprEmitter(f);
  }

  get expressions(): ExprEmitter {
    return this.exprs;
  }

  emitAll(body: Stmt[]): void {
    for (const s of body) {
      const next = this.f.newBlock('next');
      withStatementScratch(
        this.f,
        () => {
          // -k locates a refused update as bpftrace does: an aggregation at its call.
          const outer = this.f.statementAt;
          this.f.statementAt = s.kind === 'MapAssign' && s.value.kind === 'Call' && findAggregation(s.value.callee) ? s.value.span : s.span;
          this.emit(s, next);
          this.f.statementAt = outer;
        },
        () => {
          this.f.m.b.CreateBr(next);
          this.f.m.b.SetInsertPoint(next);
        },
      );
    }
  }

  private emit(s: Stmt, next: LLVM.BasicBlock): void {
    const { b } = this.f.m;
    switch (s.kind) {
      case 'MapAssign':
        return this.mapAssign(s, next);
      case 'VarAssign':
        return this.varAssign(s, next);
      case 'If': {
        const cond = this.exprs.condition(s.cond, next);
        const then = this.f.newBlock('then');
        const otherwise = this.f.newBlock('else');
        b.CreateCondBr(cond, then, otherwise);
        b.SetInsertPoint(then);
        this.emitAll(s.then);
        b.CreateBr(next);
        b.SetInsertPoint(otherwise);
        if (s.else) this.emitAll(s.else);
        return;
      }
      case 'Block':
        return this.emitAll(s.body);
      case 'ExprStmt': {
        const action = actionOf(s);
        if (action) return emitAction(this.f, action.name);
        const fn = s.expr.kind === 'Call' ? findCallStatement(s.expr.callee) : undefined;
        if (fn && s.expr.kind === 'Call') return fn.emit(callEmit(this.f, this.exprs, s.expr, next));
        this.exprs.emit(s.expr, next);
        return;
      }
    }
  }

  private mapAssign(s: MapAssign, next: LLVM.BasicBlock): void {
    const map = this.f.maps.get(s.target.name)!;
    if (map.value.kind !== 'agg') return emitScalarAssign(this.f, this.exprs, s, map, next);
    // `@m[k] = agg(x, ...)`: x (the only argument evaluated at run time) before the key;
    // count() has none.
    const [x] = (s.value as Call).args;
    const arg = x === undefined ? undefined : this.asI64(this.exprs.emit(x, next));
    const key = emitKey(this.f, this.exprs, s.target, map, next);
    emitAggregate(this.f, map, key, arg, next);
  }

  /** `$x = v`, `$x += v`: into the variable's slot (variables.ts), typed as the checker says. */
  private varAssign(s: VarAssign, next: LLVM.BasicBlock): void {
    const { m } = this.f;
    const t = this.exprs.typeOf(s.target);
    let value = this.exprs.emit(s.value, next);
    const slot = variableSlot(this.f, s.target.name, t);
    if (t.kind === 'str' || t.kind === 'bytes') {
      const buffer = variableBuffer(this.f, slot);
      const from = this.exprs.typeOf(s.value);
      const copied = from.kind === 'str' || from.kind === 'bytes' ? Math.min(from.size, t.size) : t.size;
      storeValue(this.f, buffer, 0, t, value, from);
      // Zero what a shorter value leaves of an earlier, longer one (never before the copy:
      // `$s = cond ? $s : "x"` copies from this very buffer).
      if (copied < t.size) this.f.memset(this.f.byteOffset(buffer, copied), t.size - copied);
      return;
    }
    if (s.op !== '=') {
      const old = m.b.CreateLoad(slot.getAllocatedType(), slot);
      value = this.exprs.arithmetic(s.op, old, value, t.kind === 'int' && t.signed);
    }
    if (t.kind === 'int') value = this.asI64(value);
    m.b.CreateStore(value, slot);
  }

  /** Booleans used as numbers are 0 or 1. */
  private asI64(v: LLVM.Value): LLVM.Value {
    return v.getType().isIntegerTy(1) ? this.f.m.b.CreateZExt(v, this.f.m.i64) : v;
  }
}
