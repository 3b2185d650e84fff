// Attaching a loaded program where its probe says, as an Attachment: one object with
// close(), whatever holds it in the kernel (a BPF link, a perf event's fd, a clsact
// filter). The choice between ways that depend on the kernel (tcx or clsact) is made
// here from the feature probe, so the compiled program does not depend on it.
import type { AttachSpec } from '../probes/kind.js';
import { hasFeature } from './features.js';
import * as native from './native.js';
import { attachTcClassic } from './tc-classic.js';

export interface Attachment {
  /** Detaches; idempotent. */
  close(): void;
  /** xdp and tc: false once the interface went away (the kernel detached it). Others: true. */
  onInterface(): boolean;
  /** How it attached, for -v: "native mode", "clsact filter". */
  detail?: string;
}

/** interval probes fire on one CPU, as bpftrace's do. */
export const TIMER_CPU = 0;

/** Attaches `progFd` as `spec` says; BEGIN/END ('once') are never attached. */
export function attachProgram(progFd: number, spec: Exclude<AttachSpec, { kind: 'once' }>): Attachment {
  switch (spec.kind) {
    case 'xdp': {
      const { linkFd, mode } = native.attachXdp(progFd, interfaceIndex(spec.ifname), 'auto');
      return { ...interfaceLink(linkFd), detail: `${mode} mode` };
    }
    case 'tc': {
      const ifindex = interfaceIndex(spec.ifname);
      if (hasFeature('tcx')) return { ...interfaceLink(native.attachTcx(progFd, ifindex, spec.direction)), detail: 'tcx link' };
      return { ...attachTcClassic(progFd, spec.ifname, ifindex, spec.direction), detail: 'clsact filter' };
    }
    case 'tracepoint':
      return fdAttachment(native.attachTracepoint(progFd, spec.category, spec.name));
    case 'rawtracepoint':
      // tp_btf: the kernel took the target from attachBtfName at load.
      return fdAttachment(native.attachRawTracepoint(progFd, null));
    case 'tracing':
      return fdAttachment(native.attachTracing(progFd));
    case 'kprobe':
      return fdAttachment(native.attachKprobe(progFd, spec.func, spec.retprobe));
    case 'timer':
      return { ...fdAttachment(native.attachPerfEventTimer(progFd, spec.periodNs, TIMER_CPU)), detail: `every ${formatPeriod(spec.periodNs)} on CPU ${TIMER_CPU}` };
  }
}

/** An fd whose closing detaches (a link, or a perf event with the program set on it). */
function fdAttachment(fd: number): Attachment {
  let open = true;
  return {
    close() {
      if (open) native.closeFd(fd);
      open = false;
    },
    onInterface: () => true,
  };
}

/** An XDP or tcx link: the kernel reports its ifindex as 0 once the interface is gone. */
function interfaceLink(fd: number): Attachment {
  const attachment = fdAttachment(fd);
  return {
    ...attachment,
    onInterface() {
      try {
        return native.linkInfo(fd).ifindex !== 0;
      } catch {
        // A link we cannot read is not evidence of a lost interface.
        return true;
      }
    },
  };
}

function interfaceIndex(ifname: string): number {
  const index = native.ifNameToIndex(ifname);
  if (index === 0) throw Object.assign(new Error(`no interface named '${ifname}'`), { code: 'NO_SUCH_INTERFACE' });
  return index;
}

export function formatPeriod(ns: number): string {
  if (ns % 1e9 === 0) return `${ns / 1e9} s`;
  if (ns % 1e6 === 0) return `${ns / 1e6} ms`;
  return `${ns / 1e3} µs`;
}
