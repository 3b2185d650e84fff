// Builtins that are one half of a helper's 64-bit result: the kernel packs two 32-bit ids
// into one return value (tgid and pid, gid and uid), the first in the upper half.
import { u32 } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

export function helperHalf(name: string, doc: string, helper: number, half: 'upper' | 'lower'): ValueBuiltin {
  return {
    name,
    type: u32,
    contexts: 'all',
    doc,
    emit(f) {
      const { m } = f;
      const both = m.callHelper(helper, m.i64, [], []);
      return half === 'upper' ? m.b.CreateLShr(both, m.i64Const(32)) : m.b.CreateAnd(both, m.i64Const(0xffffffff));
    },
  };
}
