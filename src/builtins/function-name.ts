// func: the name of the kernel function a kprobe or fentry/fexit probe is on, as
// bpftrace's func. It is fixed per program (each probe is its own program), so it is a
// constant string built on the stack when read. Tracepoints have no function, as in
// bpftrace ("The func builtin can not be used with 'tracepoint' probes").
import { str } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';
import { constantString } from './constant-string.js';

/** Bytes of the value, NUL included: kernel function names are at most KSYM_NAME_LEN (512), most far shorter. */
const FUNC_NAME_SIZE = 64;

export const funcBuiltin: ValueBuiltin = {
  name: 'func',
  type: str(FUNC_NAME_SIZE),
  contexts: ['kprobe', 'btf'],
  doc: "name of the kernel function of a kprobe/kretprobe or fentry/fexit probe (a rawtracepoint's: the tracepoint's name)",
  contextHint: 'func is the kernel function of a kprobe, kretprobe, fentry or fexit probe; tracepoints have none (use probe)',
  emit(f) {
    const attach = f.probe?.attach;
    const name = attach?.kind === 'kprobe' || attach?.kind === 'tracing' ? attach.func : attach?.kind === 'rawtracepoint' ? attach.name : '';
    return constantString(f, name, FUNC_NAME_SIZE, 'func');
  },
};
