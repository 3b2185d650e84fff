// xdp:IFACE — an XDP link, in the driver's native mode where it has one, else generic.
import * as native from '../../native/bpf.js';
import type { AttachSpec } from '../../model/probe.js';
import { interfaceIndex, interfaceLink, type Attachment } from './attachment.js';

export function attachXdp(progFd: number, spec: Extract<AttachSpec, { kind: 'xdp' }>): Attachment {
  const { linkFd, mode } = native.attachXdp(progFd, interfaceIndex(spec.ifname), 'auto');
  return interfaceLink(linkFd, `${mode} mode`);
}
