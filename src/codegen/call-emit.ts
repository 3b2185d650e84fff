// What a statement function's emit() may use of codegen (CallEmit, src/functions/call.ts):
// built here, so the function records import codegen only as types and the checker,
// which reads the same records, never loads LLVM.
import type { Call } from '../model/ast.js';
import { emitKey, remove } from './aggregate.js';
import { emitExitRequest, emitRecord } from './events.js';
import { emitCapture } from './capture.js';
import type { ExprEmitter } from './expr.js';
import type { FunctionContext } from './function-context.js';
import type { CallEmit } from '../functions/call.js';
import type { LLVM } from './llvm.js';
import { storeValue } from './typed-values.js';

export function callEmit(f: FunctionContext, exprs: ExprEmitter, call: Call, next: LLVM.BasicBlock): CallEmit {
  const map = (name: string) => f.maps.get(name)!;
  return {
    call,
    f,
    exprs,
    next,
    map,
    probeText: f.probe?.text ?? '',
    emitRecord: (kind, index, payloadSize, fill) => emitRecord(f, kind, index, payloadSize, fill),
    emitExitRequest: () => emitExitRequest(f),
    emitCapture: (checked, skb, reason) => emitCapture(f, checked, skb, reason),
    deleteKey(ref) {
      const key = emitKey(f, exprs, ref, map(ref.name), next);
      remove(f, map(ref.name).index, key.ptr);
      key.end();
    },
    storeValue: (ptr, offset, to, value, from) => storeValue(f, ptr, offset, to, value, from),
  };
}
