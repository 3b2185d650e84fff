// tc:IFACE:DIRECTION — a tcx link where the kernel has tcx (6.6+), else a clsact
// cls_bpf filter (tc-classic.ts). Decided by the feature probe, at attach time, so the
// compiled program is the same on every kernel.
import * as native from '../../native/bpf.js';
import type { AttachSpec } from '../../model/probe.js';
import { hasFeature } from '../features.js';
import { interfaceIndex, interfaceLink, type Attachment } from './attachment.js';
import { attachTcClassic } from './tc-classic.js';

export function attachTc(progFd: number, spec: Extract<AttachSpec, { kind: 'tc' }>): Attachment {
  const ifindex = interfaceIndex(spec.ifname);
  if (hasFeature('tcx')) return interfaceLink(native.attachTcx(progFd, ifindex, spec.direction), 'tcx link');
  return { ...attachTcClassic(progFd, spec.ifname, ifindex, spec.direction), detail: 'clsact filter' };
}
