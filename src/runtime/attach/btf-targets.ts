// Programs whose target came with them at load (attachBtfName): tp_btf raw tracepoints
// and fentry/fexit. Attaching them opens a link with no further argument.
import * as native from '../../native/bpf.js';
import { fdAttachment, type Attachment } from './attachment.js';

export function attachRawTracepoint(progFd: number): Attachment {
  return fdAttachment(native.attachRawTracepoint(progFd, null));
}

export function attachTracing(progFd: number): Attachment {
  return fdAttachment(native.attachTracing(progFd));
}
