// An aggregation is a small record: how its call is checked, how big one CPU's slot is,
// how the kernel updates that slot, how user space folds the per-CPU slots into one
// result, how the result prints, and which view the REPL draws it with. The checker,
// codegen, the printers, completion and did-you-mean all read these records. A new
// aggregation is one new file that exports one of these and a line in registry.ts.
//
// All aggregation maps are per-CPU hash maps: a program updates its own CPU's slot with
// plain loads and stores (no atomics, which LLVM 14's BPF backend mostly cannot emit),
// and readers merge the slots.
import type { Call, Span } from '../model/ast.js';
import type { CaptureSkbLayout } from '../model/capture.js';
import type { AggValue } from '../model/checked.js';
import type { AggregateResult } from '../model/map-reading.js';
import type { Type } from '../model/types.js';
import type { ContextKind } from '../model/probe.js';
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import type { CatalogueEntry } from '../diagnostics/catalogue.js';

export interface ArgCheck {
  call: Call;
  /** The arguments' types, undefined where typing failed (that is already reported). */
  argTypes: (Type | undefined)[];
  report(entry: CatalogueEntry, message: string, span: Span, ...hints: string[]): undefined;
  /** The context of the probe being checked, for functions that exist only in some (pcap()). */
  context?: ContextKind;
  /**
   * The running kernel's struct sk_buff layout (from BTF), recorded for codegen with this
   * call: pcap(SKB, "filter") reads the packet through the pointer. Undefined without BTF.
   */
  skbLayout?(): CaptureSkbLayout | undefined;
}

/**
 * How the REPL's live panel draws a map of this aggregation (src/repl/aggregation-views.ts):
 * rows with bars scaled to the largest value, rows of plain numbers, count/average/total
 * columns, or a histogram's buckets.
 */
export type ReplView = 'bars' | 'numbers' | 'stats' | 'histogram';

export interface Aggregation {
  name: string;
  /** How a call is written, for messages and docs: `lhist(x, lo, hi, step)`. */
  signature: string;
  /** What it keeps, as docs/language.md's aggregations table says it. */
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
  /**
   * hist() and lhist(): the label of each bucket, in the order of the slot's words (the
   * words after them are not buckets). Printing a big map at exit reads the buckets
   * straight from the kernel's bytes with these (src/format/batch-text.ts).
   */
  bucketLabels?(v: AggValue): readonly string[];
  /** The entry's text after `@name[key]`: `: 5`, or `:` and the histogram's lines. */
  text(r: AggregateResult, v: AggValue): string;
  /** The entry's value in `-f json` output (docs/output.md). */
  json(r: AggregateResult, v: AggValue): unknown;
  replView: ReplView;
}
