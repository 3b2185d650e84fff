// Notices when the interface under an xdp or tc probe disappears (deleted, moved to
// another namespace) while nettrace runs. The kernel detaches the link by itself then and
// reports the link's ifindex as 0; nothing else tells the process, so without this watch
// a run would go on silently counting nothing.
//
// Polled once a second through each probe's attachment (runtime/attach/): a link's
// info (one bpf() call), or for a clsact filter whether its interface still has the same
// index. Cheap, exact for the very attachment we made (a new interface with the same
// name does not fool it), and it needs no netlink socket.
import type { AttachedProbe } from './session.js';

export interface LostProbe {
  probe: AttachedProbe;
  ifname: string;
}

export interface InterfaceWatchOptions {
  intervalMs?: number;
  /** How to ask whether a probe's link is still on its interface; the link's info by default. */
  stillAttached?: (probe: AttachedProbe) => boolean;
}

/** True while the probe's attachment still sits on its interface. */
function linkStillAttached(probe: AttachedProbe): boolean {
  return probe.attachment?.onInterface() ?? true;
}

function interfaceOf(probe: AttachedProbe): string | undefined {
  const spec = probe.program.probe.attach;
  return spec.kind === 'xdp' || spec.kind === 'tc' ? spec.ifname : undefined;
}

/**
 * Calls onLost with the probes whose interface went away since the last poll (each probe
 * once). Returns the function that stops watching. The timer does not keep Node alive.
 */
export function watchInterfaces(
  probes: readonly AttachedProbe[],
  onLost: (lost: LostProbe[]) => void,
  options: InterfaceWatchOptions = {},
): () => void {
  const stillAttached = options.stillAttached ?? linkStillAttached;
  const watched = probes.flatMap((probe) => {
    const ifname = interfaceOf(probe);
    return ifname === undefined ? [] : [{ probe, ifname }];
  });
  if (watched.length === 0) return () => {};
  const reported = new Set<AttachedProbe>();
  const timer = setInterval(() => {
    const lost = watched.filter((w) => !reported.has(w.probe) && !stillAttached(w.probe));
    if (lost.length === 0) return;
    for (const w of lost) reported.add(w.probe);
    onLost(lost);
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
