// A full map is never silent: an update the kernel refuses because the map holds
// max_entries keys already is counted, per map, in the `full` internal map, and the
// runtime reports the count. With -k each refusal is also sent as a record at once
// (helper-errors.ts).
//
// `full` is a one-entry array whose value holds one u64 counter per map, at the map's
// index (model/refusal-counters.ts): the program takes the value's address with one
// ld_imm64 (BPF_PSEUDO_MAP_VALUE) and adds with one atomic instruction, 5 xlated
// instructions in all. A per-CPU array needed no atomics but a lookup: a key on the
// stack, the verifier's inlined lookup and a null check, 16 instructions on every
// refusal site (issue 12). Refusals are rare, so the atomic's cost never shows; the count
// stays exact when several CPUs are refused at once.
import type { MapDescription } from '../model/compiled-program.js';
import { REFUSAL_COUNTER_BYTES } from '../model/refusal-counters.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { reportHelperError } from './helper-errors.js';

/** What bpf_map_update_elem returns for a new key when the map is full: -E2BIG. */
const MAP_FULL = -7;

/**
 * Adds one to the count of refused updates of `map`, at the current insertion point;
 * `result` is the update's return value where the caller has it (else the map was full).
 */
export function countRefusedUpdate(f: FunctionContext, map: MapDescription, result?: LLVM.Value): void {
  const { m } = f;
  const counters = m.mapValueRef(f.outputs.map('full').index);
  m.atomicAdd64(f.byteOffset(counters, map.index * REFUSAL_COUNTER_BYTES), m.i64Const(1));
  reportHelperError(f, 'map_update_elem', result ?? f.m.i64Const(MAP_FULL), f.statementAt, map.index);
}

/** Counts the update when `result` (bpf_map_update_elem's return value) says it failed. */
export function countIfRefused(f: FunctionContext, map: MapDescription, result: LLVM.Value): void {
  const { m } = f;
  const { b } = m;
  const refused = f.newBlock('update_refused');
  const done = f.newBlock('update_done');
  b.CreateCondBr(b.CreateICmpNE(result, m.i64Const(0)), refused, done);
  b.SetInsertPoint(refused);
  countRefusedUpdate(f, map, result);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}
