// A value builtin (`nsecs`, `pid`, `ifindex` ...) is a small record: its name, its type,
// the probe contexts that can read it, one line of documentation, and how codegen
// computes it. The checker, codegen, Tab completion, did-you-mean and the builtins table
// in docs/language.md all come from these records. A new builtin is one new file that
// exports one of these and a line in registry.ts.
//
// Records reach codegen only through types and the FunctionContext codegen passes in,
// so the checker, which reads the same records, loads no LLVM.
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import type { ContextKind } from '../model/probe.js';
import type { Type } from '../model/types.js';

export interface ValueBuiltin {
  name: string;
  type: Type;
  /** The probe contexts where it can be read; elsewhere it is NT0306. */
  contexts: ContextKind[] | 'all';
  /** The hint NT0306 gives where it cannot be read: which probes have it. */
  contextHint?: string;
  /** What it holds, as the builtins table in docs/language.md says it. */
  doc: string;
  /** Its value in the function being emitted: an i64 for integers, a pointer to the bytes for strings. */
  emit(f: FunctionContext): LLVM.Value;
}
