// Actions to LLVM: `drop`, `pass`, `tx` set the program's return value and leave, as
// `return XDP_DROP;` would in C. The statements after an action are dead code for that
// path; LLVM removes them.
import type { ActionName } from '../model/actions.js';
import type { FunctionContext } from './function-context.js';

export function emitAction(f: FunctionContext, action: ActionName): void {
  const { m } = f;
  const code = f.probe?.verdicts?.[action];
  // The checker (checkActions) refused actions a probe cannot perform.
  if (code === undefined || !f.returnSlot) throw new Error(`internal: '${action}' reached codegen in a probe without it`);
  m.b.CreateStore(m.intConst(m.i32, code), f.returnSlot);
  m.b.CreateBr(f.exit);
  // Whatever the caller emits next lands in a block nothing jumps to.
  m.b.SetInsertPoint(f.newBlock(`after_${action}`));
}
