// A probe kind is a small record: how to resolve what the user wrote, what its programs
// can read, and how the runtime attaches them. A new probe kind is one new file that
// exports one of these and is listed in registry.ts.
import type { ProbeSpec, Span } from '../ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { KernelEnv } from '../check/kernel-env.js';
import type { ProbeArgs } from './args.js';

/** What a program's context argument is, which decides the builtins it can read. */
export type ContextKind =
  | 'xdp'
  | 'skb'
  | 'none'
  /** A classic tracepoint: the context is the event's record, laid out by its format file. */
  | 'tracepoint'
  /** tp_btf, fentry/fexit: the context is an array of u64 arguments typed by BTF. */
  | 'btf'
  /** kprobe/kretprobe: the context is struct pt_regs; arguments are read from registers. */
  | 'kprobe';

/** How the runtime attaches a probe; plain data so a compiled program can be saved. */
export type AttachSpec =
  | { kind: 'xdp'; ifname: string }
  | { kind: 'tc'; ifname: string; direction: 'ingress' | 'egress' }
  | { kind: 'tracepoint'; category: string; name: string }
  /** tp_btf: the target comes with the program at load (attachBtfName). */
  | { kind: 'rawtracepoint'; name: string }
  /** fentry/fexit: the target comes with the program at load (attachBtfName). */
  | { kind: 'tracing'; func: string }
  /** kprobe/kretprobe: a perf event of the kprobe PMU on the function. */
  | { kind: 'kprobe'; func: string; retprobe: boolean }
  /** BEGIN / END: run once by the runtime (BPF_PROG_TEST_RUN), at start and at exit. */
  | { kind: 'once'; when: 'begin' | 'end' }
  /** interval: a perf-event timer on one CPU. */
  | { kind: 'timer'; periodNs: number };

export interface ResolvedProbe {
  /** The probe as written, for messages: `xdp:eth0`. */
  text: string;
  kindName: string;
  context: ContextKind;
  /** ELF section the program goes in. */
  section: string;
  progType: number;
  expectedAttachType?: number;
  attach: AttachSpec;
  /** Where the probe is written, for run-time diagnostics (verifier, attach). */
  span: Span;
  /** BTF name of the load-time target: a tracepoint for tp_btf, a function for fentry/fexit. */
  attachBtfName?: string;
  /** What `args` holds, for probes whose context carries arguments (src/probes/args.ts). */
  args?: ProbeArgs;
  /** Probes to suggest when the kernel refuses this one (fentry and kprobes here). */
  alternatives?: string[];
  /**
   * Set when the probe type-checks but cannot run here (kprobes on a kernel without
   * them): the checker reports it after checking the block, so the body's own errors
   * are reported too.
   */
  refusal?: { message: string; hints: string[] };
  /**
   * Packet probes: the return value of each action (src/check/actions.ts). `pass` is
   * also what the program returns when no action runs; an action missing here cannot
   * be used in this probe.
   */
  verdicts?: Verdicts;
}

export interface Verdicts {
  pass: number;
  drop: number;
  tx?: number;
}

export interface ProbeKind {
  name: string;
  aliases: string[];
  /** One line for `nettrace -l` and the docs. */
  doc: string;
  /** Several probes when one spec means several attachments (tc:IFACE is both directions). */
  resolve(spec: ProbeSpec, env: KernelEnv): ResolvedProbe | ResolvedProbe[] | Diagnostic;
  /** Every probe of this kind the kernel offers, as written (`nettrace -l`). */
  list?(env: KernelEnv): string[];
}

export const BPF_PROG_TYPE = { KPROBE: 2, SCHED_CLS: 3, TRACEPOINT: 5, XDP: 6, PERF_EVENT: 7, RAW_TRACEPOINT: 17, TRACING: 26 } as const;
export const BPF_ATTACH_TYPE = { XDP: 37, TCX_INGRESS: 46, TCX_EGRESS: 47 } as const;
