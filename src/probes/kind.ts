// A probe kind is a small record: how to resolve what the user wrote, what its programs
// can read, and how the runtime attaches them. A new probe kind is one new file that
// exports one of these and is listed in registry.ts.
import type { ProbeSpec, Span } from '../ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { KernelEnv } from '../check/kernel-env.js';

/** What a program's context argument is, which decides the builtins it can read. */
export type ContextKind = 'xdp' | 'skb' | 'none';

/** How the runtime attaches a probe; plain data so a compiled program can be saved. */
export type AttachSpec =
  | { kind: 'xdp'; ifname: string }
  | { kind: 'tc'; ifname: string; direction: 'ingress' | 'egress' };

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
}

export interface ProbeKind {
  name: string;
  aliases: string[];
  /** One line for `nettrace -l` and the docs. */
  doc: string;
  resolve(spec: ProbeSpec, env: KernelEnv): ResolvedProbe | Diagnostic;
}

export const BPF_PROG_TYPE = { SCHED_CLS: 3, TRACEPOINT: 5, XDP: 6, PERF_EVENT: 7, RAW_TRACEPOINT: 17, TRACING: 26 } as const;
export const BPF_ATTACH_TYPE = { XDP: 37, TCX_INGRESS: 46, TCX_EGRESS: 47 } as const;
