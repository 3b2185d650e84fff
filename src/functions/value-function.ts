// A function called for its value (`bswap(x)`) is a small record: how its call is
// checked (its type), and how codegen computes it from its arguments' values. A new one
// is one new file that exports one of these and a line in registry.ts.
//
// The call is checked with the same ArgCheck as an aggregation's (the arguments already
// typed), so the helpers of src/aggregations/args.ts serve both. Records reach codegen
// only through types and the ValueCallEmit codegen passes in, so the checker loads no LLVM.
import type { ArgCheck } from '../aggregations/aggregation.js';
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import type { Type } from '../model/types.js';
import type { Call } from '../model/ast.js';

export interface ValueCallEmit {
  f: FunctionContext;
  /**
   * The arguments, evaluated left to right before emit() runs: an i64 for a number, an
   * i1 for a boolean, a pointer to the bytes for strings and addresses.
   */
  args: LLVM.Value[];
  /** The types the checker gave the arguments. */
  argTypes: Type[];
  /** The call as written, for functions that read a literal argument (pcap("...")). */
  call: Call;
}

export interface ValueFunction {
  name: string;
  /** How a call is written, for messages and docs: `bswap(x)`. */
  signature: string;
  /** What it returns, as docs/language.md's functions table says it. */
  doc: string;
  /** The call's type, or undefined once it has reported why the call is wrong. */
  check(c: ArgCheck): Type | undefined;
  emit(c: ValueCallEmit): LLVM.Value;
}
