// A probe as the checker resolved it: plain data that travels in the compiled program's
// description (so a compiled program can be saved), read by the checker, codegen and the
// runtime's attach step. The probe kinds that make these live in src/probes/.
import type { Span } from './ast.js';
import type { ProbeArgs } from './probe-args.js';

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
  /** What `args` holds, for probes whose context carries arguments (probe-args.ts). */
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
