// Writing event records (src/model/event-records.ts) to the ring buffer. A record the ring
// buffer refuses (it is full) is counted in the status map's `lost` word, so user space
// can say how many were lost instead of losing them silently.
import { RECORD_HEADER_SIZE, RecordKind, StatusWord, type RecordKindValue } from '../model/event-records.js';
import { BPF_FUNC } from '../model/uapi.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { scratchBuffer } from './scratch.js';
import { addToCounter, withArraySlot } from './array-slot.js';

/** Writes one record: the header, then `fill` writes the payload after it. */
export function emitRecord(
  f: FunctionContext,
  kind: RecordKindValue,
  index: number,
  payloadSize: number,
  fill?: (record: LLVM.Value) => void,
): void {
  const { m } = f;
  const { b } = m;
  const size = RECORD_HEADER_SIZE + Math.ceil(payloadSize / 8) * 8;
  const record = scratchBuffer(f, size, 'record');
  f.storeInt(record.ptr, 0, 32, m.i64Const(kind));
  f.storeInt(record.ptr, 4, 32, m.i64Const(index));
  fill?.(record.ptr);
  const events = m.mapRef(f.outputs.map('events').index);
  const result = m.callHelper(BPF_FUNC.ringbuf_output, m.i64, [m.i8p, m.i8p, m.i64, m.i64], [events, record.ptr, m.i64Const(size), m.i64Const(0)]);
  record.end();
  const refused = f.newBlock('record_lost');
  const done = f.newBlock('record_done');
  b.CreateCondBr(b.CreateICmpNE(result, m.i64Const(0)), refused, done);
  b.SetInsertPoint(refused);
  addToStatus(f, StatusWord.lost, m.i64Const(1));
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

/** exit(): raise the status map's exit word, then tell user space now through a record. */
export function emitExitRequest(f: FunctionContext): void {
  setStatus(f, StatusWord.exit, f.m.i64Const(1));
  emitRecord(f, RecordKind.exit, 0, 0);
}

function addToStatus(f: FunctionContext, word: number, delta: LLVM.Value): void {
  withStatusWord(f, word, (ptr) => addToCounter(f, ptr, delta));
}

function setStatus(f: FunctionContext, word: number, value: LLVM.Value): void {
  withStatusWord(f, word, (ptr) => f.m.b.CreateStore(value, f.m.b.CreateBitCast(ptr, f.m.ptrTo(f.m.i64))));
}

/** This CPU's status word `word`: slot 0 of the per-CPU status array holds them all. */
function withStatusWord(f: FunctionContext, word: number, body: (ptr: LLVM.Value) => void): void {
  withArraySlot(f, f.outputs.map('status').index, 0, 'status', (slot) => body(f.byteOffset(slot, word * 8)));
}
