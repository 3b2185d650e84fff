// What the REPL needs from the runtime, as one small interface: attach a program from
// source text, detach it, read its maps, reset them, and hear what its run reports. The
// kernel-backed implementation is kernel-engine.ts; component tests pass a fake.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RunEnd, RunStatus } from '../runtime/run/records.js';
import type { MapReading } from './labelled-reading.js';
import type { ListenAddress } from '../serve/listen-address.js';

export interface ProbeInfo {
  /** As written: `xdp:eth0`. */
  text: string;
  /** How it attached, e.g. `native mode`. */
  detail?: string;
}

export interface ProgramInfo {
  id: number;
  source: string;
  /** Where the source came from, for diagnostics: `<repl>` or a file path. */
  origin: string;
  probes: ProbeInfo[];
  /** Header for each map: `@[ip.src]` for `@[ip.src] = count()`, keyed by displayName. */
  mapLabels: ReadonlyMap<string, string>;
}

export interface ProgramReading {
  program: ProgramInfo;
  maps: MapReading[];
  /** Events lost and maps full so far (absent when it could not be read). */
  status?: RunStatus;
  /** Reading failed (e.g. the interface went away); the program stays listed. */
  error?: string;
}

/** One printf() line (or print(@m) text) from a program, formatted by the runtime. */
export interface PrintfEvent {
  programId: number;
  text: string;
}

/** What the programs' runs report (runtime/run/records.ts), by program. */
export type EngineEvent =
  | ({ kind: 'printf' } & PrintfEvent)
  /** Events of the program the ring buffer refused, in all so far. */
  | { kind: 'lost'; programId: number; total: bigint }
  /** While it runs: an interface gone (NT0506), a map full (NT0507). */
  | { kind: 'warning'; program: ProgramInfo; diagnostics: Diagnostic[] }
  /** The program ended (.detach, exit(), no probe left on an interface); its maps as it left them. */
  | { kind: 'ended'; program: ProgramInfo; end: RunEnd };

export interface Engine {
  /**
   * `.serve ADDR:PORT`: every running program's maps as Prometheus metrics (src/serve/),
   * each series labelled with its program's id; resolves with the URL, replacing an
   * endpoint already running. Throws DiagnosticError (NT0540-NT0542); `warn` gets NT0543
   * when a scrape drops series. Absent without a kernel.
   */
  serve?(address: ListenAddress, warn: (warning: Diagnostic) => void): Promise<string>;
  /** `.serve off`: stops the endpoint; resolves false when there was none. */
  stopServing?(): Promise<boolean>;
  /**
   * `.capture FILE` / `.capture off`: where programs attached from now on write what
   * capture() copies (pcapng): the first to FILE, each further one to FILE with its id
   * before the extension. Absent without a kernel.
   */
  capture?(file: string | undefined): void;
  /**
   * Resolves once attach() can be called. The kernel engine loads the compiler
   * (chevrotain, llvm-bindings, LLVM) here, after the first prompt is on screen; an
   * engine without it is always ready.
   */
  ready?(): Promise<void>;
  /** Compiles, loads and attaches. Throws DiagnosticError for anything the user can fix. */
  attach(source: string, origin: string): ProgramInfo;
  /** Ends the program (an `ended` event follows at once); undefined when there is no such id. */
  detach(id: number): ProgramInfo | undefined;
  /** Frees a program without END or an `ended` event: undoes an attach the user has not seen. */
  discard(id: number): void;
  programs(): ProgramInfo[];
  read(): ProgramReading[];
  /** Resets the maps of one program or of all; returns the programs reset. */
  clear(id?: number): ProgramInfo[];
  /** Subscribes to the events of every program; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Detaches everything, quietly. Idempotent; safe to call from exit handlers. */
  closeAll(): void;
}
