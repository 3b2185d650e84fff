// What holds an attached program in the kernel, whatever it is (a BPF link, a perf
// event's fd, a clsact filter): one object with close(), as cilium/ebpf's link.Link.
import { close as closeOnPoolThread } from 'node:fs';
import * as native from '../../native/bpf.js';

export interface Attachment {
  /** Detaches; idempotent. */
  close(): void;
  /**
   * Detaches on a thread of libuv's pool, for a caller with other work meanwhile: closing
   * a link returns only after an RCU grace period (the kernel waits for the program's runs
   * in flight), ~70 ms here. The probe is unhooked as the close begins. Absent where
   * detaching is more than closing an fd (classic tc filters).
   */
  closeInBackground?(): Promise<void>;
  /** xdp and tc: false once the interface went away (the kernel detached it). Others: true. */
  onInterface(): boolean;
  /** How it attached, for -v: "native mode", "clsact filter". */
  detail?: string;
}

/** An fd whose closing detaches (a link, or a perf event with the program set on it). */
export function fdAttachment(fd: number, detail?: string): Attachment {
  let open = true;
  return {
    close() {
      if (open) native.closeFd(fd);
      open = false;
    },
    closeInBackground() {
      if (!open) return Promise.resolve();
      open = false;
      return new Promise((resolve, reject) => closeOnPoolThread(fd, (e) => (e ? reject(e) : resolve())));
    },
    onInterface: () => true,
    detail,
  };
}

/** An XDP or tcx link: the kernel reports its ifindex as 0 once the interface is gone. */
export function interfaceLink(fd: number, detail: string): Attachment {
  return {
    ...fdAttachment(fd, detail),
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

/** The index of an interface by name; a typed NO_SUCH_INTERFACE error when there is none. */
export function interfaceIndex(ifname: string): number {
  const index = native.ifNameToIndex(ifname);
  if (index === 0) throw Object.assign(new Error(`no interface named '${ifname}'`), { code: 'NO_SUCH_INTERFACE' });
  return index;
}
