// kstack and kstack(N): the kernel stack the probe fired on, as bpftrace has it. The
// program captures it into the program's stack-trace map (bpf_get_stackid) and carries
// only the stack's id; user space reads the frames and prints them with their kernel
// symbols (src/format/kernel-stacks.ts). So a stack is a small value, usable as a map
// key (`@[kstack] = count()`) as well as in print() and printf("%s").
// bpf_get_stackid exists for tracing programs only (tracepoints, fentry, kprobes).
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import type { ContextKind } from '../model/probe.js';
import { BPF_FUNC } from '../model/uapi.js';
import { kernelStackRole } from '../model/kernel-stacks.js';
import type { IntType } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

export const STACK_CONTEXTS: ContextKind[] = ['tracepoint', 'btf', 'kprobe'];
export const STACK_CONTEXT_HINT = 'kstack exists in tracepoint, rawtracepoint, fentry/fexit and kprobe probes: the kernel lets only tracing programs take stacks';

/** A kstack value: the stack's id, printing at most `frames` frames. */
export function kernelStackType(frames?: number): IntType {
  return frames === undefined ? { kind: 'int', bits: 64, signed: true, show: 'kstack' } : { kind: 'int', bits: 64, signed: true, show: 'kstack', stackFrames: frames };
}

/**
 * The stack's id in the program's stack map of `frames` frames, or a negative errno when
 * it could not be kept. kstack(N) has a map of its own that keeps N frames, so stacks
 * alike in their first N frames are one id (one map key), as in bpftrace.
 */
export function emitKernelStackId(f: FunctionContext, frames?: number): LLVM.Value {
  const { m } = f;
  const map = m.mapRef(f.outputs.map(kernelStackRole(frames)).index);
  // flags 0: the kernel stack, from the probe's own frame outward.
  return m.callHelper(BPF_FUNC.get_stackid, m.i64, [m.i8p, m.i8p, m.i64], [f.ctxArg, map, m.i64Const(0)]);
}

export const kstackBuiltin: ValueBuiltin = {
  name: 'kstack',
  type: kernelStackType(),
  contexts: STACK_CONTEXTS,
  contextHint: STACK_CONTEXT_HINT,
  doc: 'the kernel stack the probe fired on, printed one symbol+offset per line; kstack(N) keeps N frames',
  emit: (f) => emitKernelStackId(f),
};
