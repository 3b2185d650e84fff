// `$x` storage, one per variable per function, typed by the checker's final type for it.
// Numbers live in an i64 slot and booleans in an i1 slot; strings and addresses in a
// zeroed buffer of the variable's size, whose pointer the slot holds. Every slot is set up
// in the entry block, so a path that never assigned $x still reads a zero.
import type { Type } from '../model/types.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { functionBuffer } from './scratch.js';

export function variableSlot(f: FunctionContext, name: string, t: Type): LLVM.AllocaInst {
  const existing = f.vars.get(name);
  if (existing) return existing.slot;
  const { m } = f;
  let slot: LLVM.AllocaInst;
  if (t.kind === 'str' || t.kind === 'bytes') {
    const buffer = functionBuffer(f, t.size, `var_${name}_bytes`);
    slot = f.alloca(m.i8p, `var_${name}`);
    const current = m.b.GetInsertBlock();
    m.b.SetInsertPoint(f.allocaBlock.getTerminator()!);
    m.b.CreateStore(buffer, slot);
    if (current) m.b.SetInsertPoint(current);
  } else {
    slot = f.alloca(t.kind === 'bool' ? m.i1 : m.i64, `var_${name}`, true);
  }
  f.vars.set(name, { slot, type: t });
  return slot;
}

/** The pointer a string variable's slot holds (its buffer). */
export function variableBuffer(f: FunctionContext, slot: LLVM.AllocaInst): LLVM.Value {
  return f.m.b.CreateLoad(f.m.i8p, slot);
}
