// min(x) and max(x). A slot is [value, seen]: a CPU that never ran the statement has
// seen = 0 and takes no part in the merge (its zero is not a minimum).
import type { LLVM } from '../codegen/llvm.js';
import type { FunctionContext } from '../codegen/function-context.js';
import type { AggValue } from '../model/checked.js';
import type { Aggregation } from './aggregation.js';
import { argCount, numericArg } from './args.js';
import { keepIf, loadWord, storeWord, wordOf } from './slot.js';
import { isSigned } from './sum.js';

function extreme(name: 'min' | 'max'): Aggregation {
  const wins = (a: bigint, b: bigint) => (name === 'min' ? a < b : a > b);
  return {
    name,
    signature: `${name}(x)`,
    doc: name === 'min' ? 'the smallest x' : 'the largest x',
    check(c) {
      if (!argCount(c, 1, this.signature)) return undefined;
      const argType = numericArg(c, 0);
      return argType && { kind: 'agg', agg: name, argType };
    },
    slotSize: () => 16,
    emitUpdate(f, slot, arg, v) {
      const empty = f.m.b.CreateICmpEQ(loadWord(f, slot, 1), f.m.i64Const(0));
      keepIf(f, slot, 0, arg!, empty, (x, old) => compare(f, name, v, x, old));
      storeWord(f, slot, 1, f.m.i64Const(1));
    },
    merge(slots, v) {
      let best: bigint | undefined;
      for (const s of slots) {
        if (wordOf(s, 1) === 0n) continue;
        const x = wordOf(s, 0, isSigned(v.argType));
        if (best === undefined || wins(x, best)) best = x;
      }
      return { value: best ?? 0n };
    },
    text: (r) => `: ${r.value}`,
    json: (r) => r.value,
    replView: name === 'max' ? 'bars' : 'numbers',
  };
}

/** i1: `x` beats `old` (x < old for min, x > old for max), signed when the argument is. */
export function compare(f: FunctionContext, name: 'min' | 'max', v: AggValue, x: LLVM.Value, old: LLVM.Value): LLVM.Value {
  const { b } = f.m;
  const signed = isSigned(v.argType);
  if (name === 'min') return signed ? b.CreateICmpSLT(x, old) : b.CreateICmpULT(x, old);
  return signed ? b.CreateICmpSGT(x, old) : b.CreateICmpUGT(x, old);
}

export const minAggregation = extreme('min');
export const maxAggregation = extreme('max');
