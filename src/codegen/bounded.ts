// Indexes the verifier can prove in bounds. The verifier accepts `base + idx * 8` into a
// map value only after a comparison that bounds idx, and LLVM deletes comparisons it can
// prove redundant from the arithmetic before them (a division, say), which the verifier
// cannot follow. llvm.bpf.passthrough is an identity LLVM cannot see through (the BPF
// backend drops it after optimisation), so the comparison survives to the verifier.
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';

let sequence = 0;

/**
 * `value` (an i64) as LLVM cannot see through: a comparison or pointer made from it
 * reaches the verifier as written, not folded into a form it cannot relate. Each call gets
 * its own sequence number, so LLVM does not merge two of them.
 */
export function opaque(f: FunctionContext, value: LLVM.Value): LLVM.Value {
  const { m } = f;
  const passthrough = m.intrinsic('llvm.bpf.passthrough.i64.i64', m.i64, [m.i32, m.i64]);
  return m.b.CreateCall(passthrough, [m.intConst(m.i32, sequence++), value]);
}

/** Runs `body` with `index` when index <= maxIndex; otherwise skips it. */
export function withBoundedIndex(f: FunctionContext, index: LLVM.Value, maxIndex: number, body: (index: LLVM.Value) => void): void {
  const { m } = f;
  const { b } = m;
  const hidden = opaque(f, index);
  const inBounds = f.newBlock('index_ok');
  const done = f.newBlock('index_done');
  b.CreateCondBr(b.CreateICmpULE(hidden, m.i64Const(maxIndex)), inBounds, done);
  b.SetInsertPoint(inBounds);
  body(hidden);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}
