// Statement-scoped stack buffers. A value a statement computes into a stack buffer (a
// string literal, comm, an address field, a map value read) is dead once the statement
// is done: whatever outlives it was copied (into a variable's own buffer, a map, a
// record). Lifetime markers say so, and LLVM's stack colouring then lets the buffers of
// different statements share bytes; without them, a few dozen statements reading comm
// would not fit in the 512-byte BPF stack.
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';

export class StatementScratch {
  private readonly live: { entryPtr: LLVM.Value; bytes: number }[] = [];

  constructor(private readonly f: FunctionContext) {}

  begin(slot: LLVM.AllocaInst, ptr: LLVM.Value, bytes: number): void {
    const { m } = this.f;
    m.b.CreateCall(this.marker('start'), [m.i64Const(bytes), ptr]);
    // The end marker sits where the statement's paths meet, which the pointer computed
    // here may not dominate: give it a pointer made in the entry block.
    const current = m.b.GetInsertBlock();
    m.b.SetInsertPoint(this.f.allocaBlock.getTerminator()!);
    const entryPtr = m.b.CreateBitCast(slot, m.i8p);
    if (current) m.b.SetInsertPoint(current);
    this.live.push({ entryPtr, bytes });
  }

  /** Emits the end of every buffer begun since this scope was opened, at the insert point. */
  end(): void {
    const { m } = this.f;
    for (const { entryPtr, bytes } of this.live) m.b.CreateCall(this.marker('end'), [m.i64Const(bytes), entryPtr]);
  }

  private marker(which: 'start' | 'end'): LLVM.Function {
    const { m } = this.f;
    return m.intrinsic(`llvm.lifetime.${which}.p0i8`, m.b.getVoidTy(), [m.i64, m.i8p]);
  }
}

/** Emits `body` (one statement) with its own scratch scope, ended at `after`. */
export function withStatementScratch(f: FunctionContext, body: () => void, after: () => void): void {
  const outer = f.scratchScope;
  const scope = new StatementScratch(f);
  f.scratchScope = scope;
  body();
  f.scratchScope = outer;
  after();
  scope.end();
}
