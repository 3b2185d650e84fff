// Writing event records (src/events/records.ts) to the ring buffer. A record the ring
// buffer refuses (it is full) is counted in the status map's `lost` word, so user space
// can say how many were lost instead of losing them silently.
import { RECORD_HEADER_SIZE, RecordKind, StatusWord } from '../events/records.js';
import { Helper } from './bpf-module.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { scratchBuffer } from './scratch.js';

/** Writes one record: the header, then `fill` writes the payload after it. */
export function emitRecord(
  f: FunctionContext,
  kind: (typeof RecordKind)[keyof typeof RecordKind],
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
  const result = m.callHelper(Helper.ringbuf_output, m.i64, [m.i8p, m.i8p, m.i64, m.i64], [events, record.ptr, m.i64Const(size), m.i64Const(0)]);
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
  withStatusWord(f, word, (ptr) => f.m.b.CreateStore(f.m.b.CreateAdd(f.m.b.CreateLoad(f.m.i64, ptr), delta), ptr));
}

function setStatus(f: FunctionContext, word: number, value: LLVM.Value): void {
  withStatusWord(f, word, (ptr) => f.m.b.CreateStore(value, ptr));
}

/** This CPU's status word `word` (a per-CPU array: no other CPU writes it). */
function withStatusWord(f: FunctionContext, word: number, body: (ptr: LLVM.Value) => void): void {
  const { m } = f;
  const { b } = m;
  const key = scratchBuffer(f, 4, 'status_key');
  const value = m.callHelper(Helper.map_lookup_elem, m.i8p, [m.i8p, m.i8p], [m.mapRef(f.outputs.map('status').index), key.ptr]);
  key.end();
  const found = f.newBlock('status_found');
  const done = f.newBlock('status_done');
  b.CreateCondBr(b.CreateIsNull(value), done, found);
  b.SetInsertPoint(found);
  body(b.CreateBitCast(f.byteOffset(value, word * 8), m.ptrTo(m.i64)));
  b.CreateBr(done);
  b.SetInsertPoint(done);
}
