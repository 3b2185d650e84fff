// Every probe kind nettrace knows, looked up by the provider name the user wrote. The
// checker, `nettrace -l`, completion and did-you-mean all read this list.
import type { ProbeSpec } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/did-you-mean.js';
import type { ProbeKind } from './kind.js';
import { tcProbe } from './tc.js';
import { xdpProbe } from './xdp.js';
import { tracepointProbe } from './tracepoint.js';
import { rawTracepointProbe } from './rawtracepoint.js';
import { fentryProbe, fexitProbe } from './fentry.js';
import { kprobeProbe, kretprobeProbe } from './kprobe.js';
import { beginProbe, endProbe } from './begin-end.js';
import { intervalProbe } from './interval.js';

export const PROBE_KINDS: ProbeKind[] = [xdpProbe, tcProbe, tracepointProbe, rawTracepointProbe, fentryProbe, fexitProbe, kprobeProbe, kretprobeProbe, beginProbe, endProbe, intervalProbe];

export function findProbeKind(provider: string): ProbeKind | undefined {
  return PROBE_KINDS.find((k) => k.name === provider || k.aliases.includes(provider));
}

export function probeKindNames(): string[] {
  return PROBE_KINDS.flatMap((k) => [k.name, ...k.aliases]);
}

/** NT0201 for a provider no probe kind answers to: the nearest name, and all of them. */
/**
 * bpftrace's probe kinds that nettrace does not have, and what to say instead of a
 * did-you-mean (uprobe is not a misspelt kprobe).
 */
const BPFTRACE_ONLY: Record<string, string> = {
  uprobe: 'user-space functions',
  uretprobe: 'user-space function returns',
  u: 'user-space functions',
  ur: 'user-space function returns',
  usdt: 'user-space static tracepoints',
  profile: 'timed samples of every CPU',
  hardware: 'hardware performance counters',
  software: 'software performance events',
  watchpoint: 'memory watchpoints',
  iter: 'kernel object iterators',
};

export function unknownProbeKind(spec: ProbeSpec): Diagnostic {
  const names = probeKindNames();
  const what = BPFTRACE_ONLY[spec.provider];
  if (what !== undefined) {
    return error(
      E.UnknownProbeKind,
      `probe kind ${spec.provider} (${what}) is not supported: nettrace probes networking`,
      spec.span,
      'it traces packets (xdp, tc), the kernel\'s network tracepoints and functions (tracepoint, rawtracepoint, fentry/fexit, kprobe), BEGIN, END and interval; use bpftrace for the rest',
      `probe kinds: ${names.join(', ')}`,
    );
  }
  const guess = closest(spec.provider, names);
  return error(E.UnknownProbeKind, `unknown probe kind '${spec.provider}'`, spec.span, guess ? `did you mean '${guess}'?` : '', `probe kinds: ${names.join(', ')}`);
}
