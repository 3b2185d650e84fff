// An aggregation is a small record: how its call is checked, how big one CPU's slot is,
// how the kernel updates that slot, how user space folds the per-CPU slots into one
// result, and how the result prints. A new aggregation is one new file that exports one
// of these and a line in registry.ts.
//
// All aggregation maps are per-CPU hash maps: a program updates its own CPU's slot with
// plain loads and stores (no atomics, which LLVM 14's BPF backend mostly cannot emit),
// and readers merge the slots.
import type { Call, Span } from '../ast.js';
import type { AggKind, MapValue } from '../check/checked.js';
import type { Type } from '../check/types.js';
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import type { CatalogueEntry } from '../diagnostics/catalogue.js';

export type AggValue = Extract<MapValue, { kind: 'agg' }>;

/** One bucket of hist() or lhist(); `lo` inclusive, `hi` exclusive, absent when open-ended. */
export interface HistBucket {
  lo?: bigint;
  hi?: bigint;
  count: bigint;
  /** As bpftrace labels it: `[0]`, `[2, 4)`, `[1K, 2K)`, `(..., 0)`, `[100, ...)`. */
  label: string;
}

/** avg() and stats(); min and max only where the aggregation keeps them and saw a value. */
export interface StatsValue {
  count: bigint;
  sum: bigint;
  min?: bigint;
  max?: bigint;
}

export interface AggregateResult {
  /** What the entry sorts by; for count/sum/min/max/avg also what it prints. */
  value: bigint;
  stats?: StatsValue;
  /** Every bucket, empty ones included (printing trims the empty ends). */
  buckets?: HistBucket[];
}

export interface ArgCheck {
  call: Call;
  /** The arguments' types, undefined where typing failed (that is already reported). */
  argTypes: (Type | undefined)[];
  report(entry: CatalogueEntry, message: string, span: Span, ...hints: string[]): undefined;
}

export interface Aggregation {
  name: AggKind;
  /** How a call is written, for messages and docs: `lhist(x, lo, hi, step)`. */
  signature: string;
  doc: string;
  check(c: ArgCheck): AggValue | undefined;
  /** Bytes of one CPU's slot. */
  slotSize(v: AggValue): number;
  /**
   * Updates this CPU's slot: `slot` is an i8* into the map value, `arg` the argument as
   * an i64 (undefined for count()).
   */
  emitUpdate(f: FunctionContext, slot: LLVM.Value, arg: LLVM.Value | undefined, v: AggValue): void;
  /** Folds the per-CPU slots (one Buffer per possible CPU) into one result. */
  merge(slots: Buffer[], v: AggValue): AggregateResult;
  /** The entry's text after `@name[key]`: `: 5`, or `:` and the histogram's lines. */
  text(r: AggregateResult, v: AggValue): string;
  /** The entry's value in `-f json` output (docs/output.md). */
  json(r: AggregateResult, v: AggValue): unknown;
}
