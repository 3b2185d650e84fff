// The checker's output: the AST plus everything later stages need to know about it.
import type { Expr, ProbeBlock, Program, Span } from './ast.js';
import type { ResolvedProbe } from './probe.js';
import type { KernelReads } from './kernel-read.js';
import type { Type } from './types.js';
import type { CaptureCall, CaptureSkbLayout } from './capture.js';

export type MapValue =
  | {
      kind: 'agg';
      /** The aggregation's name, as its record in src/aggregations/ has it. */
      agg: string;
      argType?: Type;
      /** Constant arguments after x that shape the slot (lhist's lo, hi, step); two uses of one map must agree on them. */
      params?: bigint[];
    }
  | { kind: 'scalar'; type: Type };

/** The value of an aggregation map: which aggregation, its argument's type, its constant parameters. */
export type AggValue = Extract<MapValue, { kind: 'agg' }>;

export interface MapInfo {
  /** As the user writes it: `@` for the anonymous map, `@name` otherwise. */
  displayName: string;
  keyTypes: Type[];
  value: MapValue;
  /** Where it was first assigned, for diagnostics. */
  span: Span;
}

export interface CheckedBlock {
  block: ProbeBlock;
  /** One entry per probe of the block: each becomes its own BPF program. */
  probes: ResolvedProbe[];
}

export interface CheckedProgram {
  ast: Program;
  blocks: CheckedBlock[];
  /** By name ("" for `@`), in order of first appearance. */
  maps: Map<string, MapInfo>;
  /** The type of every expression the checker looked at. */
  types: Map<Expr, Type>;
  /** How to read each expression that reads kernel data (args, struct fields), per probe. */
  kernelReads?: KernelReads;
  /** The value of each name written as a symbolic constant (TCP_ESTABLISHED, SYN): check/constants.ts. */
  constants?: Map<Expr, bigint>;
  /** Each capture() call: what to copy and what to say with the packet (src/functions/capture.ts). */
  captures?: Map<Expr, CaptureCall>;
  /** Each pcap(SKB, "filter") call: the sk_buff layout it reads the packet through (src/functions/pcap.ts). */
  pcapSkbs?: Map<Expr, CaptureSkbLayout>;
}
