// What the REPL needs from the runtime, as one small interface: attach a program from
// source text, detach it, read its maps, reset them, and hear its printf events. The
// kernel-backed implementation is kernel-engine.ts; component tests pass a fake.
import type { MapReading } from '../runtime/read-maps.js';

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
  /** Reading failed (e.g. the interface went away); the program stays listed. */
  error?: string;
}

/** One printf() line from a program, formatted by the runtime. */
export interface PrintfEvent {
  programId: number;
  text: string;
}

export interface Engine {
  /** Compiles, loads and attaches. Throws DiagnosticError for anything the user can fix. */
  attach(source: string, origin: string): ProgramInfo;
  /** Detaches and frees the program; undefined when there is no such id. */
  detach(id: number): ProgramInfo | undefined;
  programs(): ProgramInfo[];
  read(): ProgramReading[];
  /** Resets the maps of one program or of all; returns the programs reset. */
  clear(id?: number): ProgramInfo[];
  /** Subscribes to printf events of every program; returns the unsubscribe function. */
  onEvent(listener: (event: PrintfEvent) => void): () => void;
  /** Detaches everything. Idempotent; safe to call from exit handlers. */
  closeAll(): void;
}
