// Stack buffers with a known lifetime. The BPF stack is 512 bytes and LLVM gives every
// alloca its own slot unless lifetime markers say two never live at once; with them, its
// stack colouring lets every printf record, map key and scratch value of a function
// share the same bytes. Without them a program with a few dozen printf()s would not fit.
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';

export interface Scratch {
  ptr: LLVM.Value;
  /** Marks the buffer dead: emit after its last use. */
  end(): void;
}

/** A zeroed buffer of `size` bytes, alive from here until `end()`. */
export function scratchBuffer(f: FunctionContext, size: number, name: string): Scratch {
  const { m } = f;
  const words = Math.max(1, Math.ceil(size / 8));
  const slot = f.alloca(m.arrayOfI64(words), name);
  const ptr = m.b.CreateBitCast(slot, m.i8p);
  const bytes = m.i64Const(words * 8);
  const start = m.intrinsic('llvm.lifetime.start.p0i8', m.b.getVoidTy(), [m.i64, m.i8p]);
  const stop = m.intrinsic('llvm.lifetime.end.p0i8', m.b.getVoidTy(), [m.i64, m.i8p]);
  m.b.CreateCall(start, [bytes, ptr]);
  f.memset(ptr, words * 8);
  return { ptr, end: () => void m.b.CreateCall(stop, [bytes, ptr]) };
}

/** `size` bytes copied from src to dst (constant size: the backend expands it inline). */
export function copyMemory(f: FunctionContext, dst: LLVM.Value, src: LLVM.Value, size: number): void {
  if (size <= 0) return;
  const { m } = f;
  const memcpy = m.intrinsic('llvm.memcpy.p0i8.p0i8.i64', m.b.getVoidTy(), [m.i8p, m.i8p, m.i64, m.i1]);
  m.b.CreateCall(memcpy, [dst, src, m.i64Const(size), m.b.getFalse()]);
}

/**
 * A zeroed buffer that lives for the whole function, set up in the entry block: a string
 * variable's storage, valid on every path, even one that never assigned it.
 */
export function functionBuffer(f: FunctionContext, size: number, name: string): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const current = b.GetInsertBlock();
  const words = Math.max(1, Math.ceil(size / 8));
  const slot = f.alloca(m.arrayOfI64(words), name);
  b.SetInsertPoint(f.allocaBlock.getTerminator()!);
  const ptr = b.CreateBitCast(slot, m.i8p);
  f.memset(ptr, words * 8);
  if (current) b.SetInsertPoint(current);
  return ptr;
}
