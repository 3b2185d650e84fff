// What a running program reports, as data: the CLI writes it to stdout and stderr, the
// REPL draws it. The run policy (program-run.ts) produces these and prints nothing.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SessionEvent } from '../events.js';
import type { RefusedUpdates } from '../map-full.js';
import type { MapReading } from '../../model/map-reading.js';

export type RunRecord =
  /** printf lines, print(@m) readings, and records the ring buffer refused (`lost`). */
  | Exclude<SessionEvent, { kind: 'exit' }>
  /** NT0506: probes whose interface disappeared (the kernel detached them). */
  | { kind: 'interface-lost'; diagnostics: Diagnostic[] }
  /** NT0507 while running: maps that have just begun to refuse updates, each map once. */
  | { kind: 'map-full'; diagnostics: Diagnostic[] }
  /** The run is over: the last record. */
  | { kind: 'ended'; end: RunEnd };

/** Stopped from outside (Ctrl-C, --timeout, .detach), exit() in the program, or no probe left on an interface. */
export type EndReason = 'stopped' | 'exit' | 'interfaces-gone';

export interface RunEnd {
  reason: EndReason;
  /** Every map as the run left it, END's updates included: what is printed at the end. */
  maps: MapReading[];
  /** Records the ring buffer refused, in all. */
  lostEvents: bigint;
  /** NT0507 with the final counts, one per map that filled up. */
  fullMaps: Diagnostic[];
  /** Per capture() call site, the packets the capture ring refused (empty without capture()). */
  capturesRefused?: bigint[];
}

/** What a live view shows next to the maps while the program runs. */
export interface RunStatus {
  lostEvents: bigint;
  fullMaps: RefusedUpdates[];
}
