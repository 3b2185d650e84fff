// Every probe kind nettrace knows, looked up by the provider name the user wrote.
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
