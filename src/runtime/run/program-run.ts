// The run policy, one for the command line and the REPL: a program runs until it is
// stopped from outside (Ctrl-C, --timeout, .detach), calls exit(), or has no probe left
// on an interface. Meanwhile it reports, as records, its printf output, the events the
// ring buffer refused, interfaces that disappeared (NT0506) and maps that filled up
// (NT0507); when it ends it runs END and reads its maps once more, so whoever shows the
// run can print them before they vanish. The CLI and the REPL only render the records.
import type { CompiledProgram } from '../../model/compiled-program.js';
import type { SessionEvent } from '../events.js';
import { Session, type AttachedProbe, type SessionOptions } from '../session.js';
import { fullMapDiagnostics, watchFullMaps } from './full-maps.js';
import { watchLostInterfaces } from './interface-loss.js';
import type { EndReason, RunEnd, RunRecord, RunStatus } from './records.js';

/** A run always attaches: SessionOptions without `attach` (that is --dry-run's). */
export type RunOptions = Omit<SessionOptions, 'attach'> & {
  /**
   * The command line, which exits after printing: links closed on libuv's pool while the
   * maps are read and printed (Session.finish). The REPL detaches at once, since the
   * next program may attach to the same hook.
   */
  detachInBackground?: boolean;
};

/** How often interfaces and the maps' fill are checked. */
const WATCH_INTERVAL_MS = 1000;

export class ProgramRun {
  private end?: RunEnd;
  private closed = false;
  /** The interface and full-map watches. */
  private readonly unwatch: (() => void)[] = [];
  private unsubscribe = () => {};

  private constructor(
    /** For reading and resetting the maps while the program runs; ending it is stop()'s job. */
    readonly session: Session,
    private readonly onRecord: (record: RunRecord) => void,
    private readonly detachInBackground: boolean,
  ) {}

  /**
   * Loads and attaches the program (BEGIN runs now). Records reach `onRecord` from the
   * next turn of the event loop on, the last one being `ended`.
   */
  static start(compiled: CompiledProgram, options: RunOptions, onRecord: (record: RunRecord) => void): ProgramRun {
    const run = new ProgramRun(Session.start(compiled, options), onRecord, options.detachInBackground ?? false);
    run.watch();
    return run;
  }

  get probes(): readonly AttachedProbe[] {
    return this.session.probes;
  }

  status(): RunStatus {
    return { lostEvents: this.session.lostEvents(), fullMaps: this.session.refusedUpdates() };
  }

  /**
   * Ends the run: detaches, runs END, delivers the events still in the ring buffer,
   * reads the maps and closes the session. Sends `ended` and returns the same end.
   * Idempotent: a second call returns the first end.
   */
  stop(reason: EndReason = 'stopped'): RunEnd {
    if (this.end) return this.end;
    this.stopWatching();
    try {
      // Still subscribed: END's printf lines and the last lost count come out of finish().
      this.session.finish({ detachInBackground: this.detachInBackground });
      const refused = this.session.refusedUpdates();
      this.end = { reason, maps: this.session.readMaps(), lostEvents: this.session.lostEvents(), fullMaps: fullMapDiagnostics(refused), capturesRefused: this.session.capturesRefused() };
    } finally {
      this.close();
    }
    this.onRecord({ kind: 'ended', end: this.end });
    return this.end;
  }

  /** Resolves once every probe is detached; rejects with the first detach that failed. */
  detached(): Promise<void> {
    return this.session.detached();
  }

  /** Frees everything at once, without END or a last reading (a failure or the process's exit). */
  close(): void {
    this.closed = true;
    this.stopWatching();
    this.unsubscribe();
    this.session.close();
  }

  private watch(): void {
    let exited = false;
    this.unsubscribe = this.session.onEvent((event) => {
      if (event.kind === 'exit') {
        exited = true;
        this.stopSoon('exit');
      } else if (!(exited && isProbeOutputAfterExit(event))) {
        this.onRecord(event);
      }
    });
    this.unwatch.push(
      watchLostInterfaces(
        this.probes,
        (diagnostics, noneLeft) => {
          this.onRecord({ kind: 'interface-lost', diagnostics });
          if (noneLeft) this.stopSoon('interfaces-gone');
        },
        { intervalMs: WATCH_INTERVAL_MS },
      ),
      watchFullMaps(() => this.session.refusedUpdates(), (diagnostics) => this.onRecord({ kind: 'map-full', diagnostics }), WATCH_INTERVAL_MS),
    );
  }

  /** Deferred, so the session is not finished from inside its own event delivery; a run closed meanwhile stays closed. */
  private stopSoon(reason: EndReason): void {
    queueMicrotask(() => this.closed || this.stop(reason));
  }

  private stopWatching(): void {
    for (const stop of this.unwatch.splice(0)) stop();
  }
}

/**
 * As in bpftrace, nothing a probe printed after exit() is shown: those lines were already
 * in the ring buffer behind the exit (other CPUs, or the same probe firing again before
 * the detach). END's own lines still are.
 */
function isProbeOutputAfterExit(event: SessionEvent): boolean {
  return event.kind === 'printf' && event.probe !== 'END';
}
