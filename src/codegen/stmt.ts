// Statements to LLVM. Each statement gets its own `next` block, which is also where a
// missing packet header sends it: the statement is skipped, the program goes on.
import type { MapAssign, Stmt } from '../ast.js';
import type { FunctionContext } from './function-context.js';
import { ExprEmitter } from './expr.js';
import type { LLVM } from './llvm.js';
import { emitAdd, emitKey } from './aggregate.js';

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
      this.emit(s, next);
      this.f.m.b.CreateBr(next);
      this.f.m.b.SetInsertPoint(next);
    }
  }

  private emit(s: Stmt, next: LLVM.BasicBlock): void {
    const { b } = this.f.m;
    switch (s.kind) {
      case 'MapAssign':
        return this.mapAssign(s, next);
      case 'VarAssign': {
        const value = this.exprs.emit(s.value, next);
        let v = this.f.vars.get(s.target.name);
        if (!v) {
          v = { slot: this.f.alloca(value.getType(), `var_${s.target.name}`, true), type: this.exprs.typeOf(s.value) };
          this.f.vars.set(s.target.name, v);
        }
        b.CreateStore(value, v.slot);
        return;
      }
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
      case 'ExprStmt':
        this.exprs.emit(s.expr, next);
        return;
    }
  }

  private mapAssign(s: MapAssign, next: LLVM.BasicBlock): void {
    const map = this.f.maps.get(s.target.name)!;
    const key = emitKey(this.f, this.exprs, s.target, map, next);
    if (map.value.kind === 'agg' && map.value.agg === 'count') {
      emitAdd(this.f, map, key, this.f.m.i64Const(1));
      return;
    }
    throw new Error(`internal: map value ${JSON.stringify(map.value)} not generated yet`);
  }
}
