// Attaching a loaded program where its probe says: one attacher per kind of attachment
// (AttachSpec.kind), each in its own file, as cilium/ebpf's link package has one per
// attach type. A probe kind with a new way of attaching is a new file here plus its line
// in ATTACHERS; TypeScript insists on the line, since the table covers every kind.
import type { AttachSpec } from '../../model/probe.js';
import type { Attachment } from './attachment.js';
import { attachRawTracepoint, attachTracing } from './btf-targets.js';
import { attachKprobe, attachTimer, attachTracepoint } from './perf-events.js';
import { attachTc } from './tc.js';
import { attachXdp } from './xdp.js';

export type { Attachment } from './attachment.js';

/** Every kind but BEGIN/END ('once'), which are run, never attached. */
export type AttachableSpec = Exclude<AttachSpec, { kind: 'once' }>;

type Attachers = { [K in AttachableSpec['kind']]: (progFd: number, spec: Extract<AttachSpec, { kind: K }>) => Attachment };

const ATTACHERS: Attachers = {
  xdp: attachXdp,
  tc: attachTc,
  tracepoint: attachTracepoint,
  rawtracepoint: attachRawTracepoint,
  tracing: attachTracing,
  kprobe: attachKprobe,
  timer: attachTimer,
};

export function attachProgram(progFd: number, spec: AttachableSpec): Attachment {
  const attach = ATTACHERS[spec.kind] as (progFd: number, spec: AttachableSpec) => Attachment;
  return attach(progFd, spec);
}
