// Probes that run on perf events: tracepoints, kprobes/kretprobes and interval timers.
// The addon links the program to the event (5.15+) or sets it with an ioctl; either way
// the fd it returns holds the attachment.
import * as native from '../../native/bpf.js';
import type { AttachSpec } from '../../model/probe.js';
import { fdAttachment, type Attachment } from './attachment.js';

/** interval probes fire on one CPU, as bpftrace's do. */
const TIMER_CPU = 0;

export function attachTracepoint(progFd: number, spec: Extract<AttachSpec, { kind: 'tracepoint' }>): Attachment {
  return fdAttachment(native.attachTracepoint(progFd, spec.category, spec.name));
}

export function attachKprobe(progFd: number, spec: Extract<AttachSpec, { kind: 'kprobe' }>): Attachment {
  return fdAttachment(native.attachKprobe(progFd, spec.func, spec.retprobe));
}

export function attachTimer(progFd: number, spec: Extract<AttachSpec, { kind: 'timer' }>): Attachment {
  return fdAttachment(native.attachPerfEventTimer(progFd, spec.periodNs, TIMER_CPU), `every ${formatPeriod(spec.periodNs)} on CPU ${TIMER_CPU}`);
}

function formatPeriod(ns: number): string {
  if (ns % 1e9 === 0) return `${ns / 1e9} s`;
  if (ns % 1e6 === 0) return `${ns / 1e6} ms`;
  return `${ns / 1e3} µs`;
}
