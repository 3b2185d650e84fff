// The compiled program: ELF bytes plus the description the runtime needs to create maps,
// load and attach programs, and print results. Nothing here depends on the live kernel
// (no fds, no ifindexes), so it can be dumped, tested and cached without privileges.
import type { MapValue } from './checked.js';
import type { ActionUse } from './actions.js';
import type { ResolvedProbe } from './probe.js';
import type { StructLayout } from './layout.js';
import type { CaptureSite } from './capture.js';
import type { Span } from './ast.js';

export interface MapDescription {
  /** The number codegen put in llvm.bpf.pseudo(BPF_PSEUDO_MAP_FD, index). */
  index: number;
  /** `@` or `@name`. */
  displayName: string;
  /** BPF_MAP_TYPE (src/model/uapi.ts). */
  bpfType: number;
  perCpu: boolean;
  key: StructLayout;
  /** Bytes of one value; of one CPU's slot for per-CPU maps. */
  valueSize: number;
  maxEntries: number;
  value: MapValue;
  /** How a scalar value is laid out (one field); absent for aggregations. */
  valueLayout?: StructLayout;
  /** Where the program first assigns the map: `--serve` names labels and writes HELP from it. */
  origin?: MapOrigin;
}

/** The first assignment of a map, as written. */
export interface MapOrigin {
  /**
   * Each key as the program names it: a field path (`ip.src`, `args.skb.len`), a
   * variable (`$port`) or a builtin (`cpu`); undefined for a computed key (`x + 1`, a
   * literal, a positional parameter).
   */
  keys: (string | undefined)[];
  /** The statement's text, e.g. `@packets[ip.src] = count()`. */
  statement: string;
  /** The probes of its block, as written: `xdp:eth0`. */
  probes: string;
}

/**
 * Maps the program needs for itself rather than for the user: the events ring buffer,
 * the status words (lost records, exit requested), and a zeroed value that aggregations
 * copy when they create a key (their slots can be bigger than the 512-byte BPF stack),
 * and per user map the count of updates refused because the map was full (`full`: a
 * per-CPU array indexed by the map's index, src/codegen/map-full.ts). capture() has a ring
 * buffer of its own (`capture`) and counts, per call site, the packets it refused
 * (`captureLost`: a per-CPU array indexed by the site's id; src/codegen/capture.ts).
 * kstack keeps the kernel stacks it captured in `kstacks` (a stack-trace map user space
 * reads to print them), kstack(N) in `kstacksN`, which keeps N frames (so equal first N
 * frames are one stack, as in bpftrace); `elapsed` reads the monotonic time the run started from `start`
 * (written by the runtime before anything runs).
 */
export type InternalMapRole = 'events' | 'status' | 'zero' | 'full' | 'capture' | 'captureLost' | 'kstacks' | `kstacks${number}` | 'start' | 'childPid' | 'parsed';

export interface InternalMapDescription {
  index: number;
  role: InternalMapRole;
  bpfType: number;
  keySize: number;
  valueSize: number;
  /** For the ring buffer, its size in bytes (the runtime may choose another). */
  maxEntries: number;
}

/** One printf() call site in one program: the runtime formats its records with this. */
/** -k: one helper call that may fail, reported each time it does (codegen/helper-errors.ts). */
export interface HelperErrorSite {
  id: number;
  /** As bpftrace names it: a map update the kernel refused (the map was full), or a kernel read through a bad pointer. */
  helper: 'map_update_elem' | 'probe_read';
  /** The map's index, for a map update. */
  map?: number;
  /** Where in the program, as bpftrace locates it: an aggregation's call, another assignment's start, a read's expression. */
  line: number;
  column: number;
}

export interface PrintfDescription {
  id: number;
  format: string;
  /** Argument layout after the record header (event-records.ts). */
  args: StructLayout;
  /** The probe whose program holds this call, as written: for `-f json`. */
  probe: string;
  /** A print(value) call, not a printf(): bpftrace's JSON calls its line a `value`. */
  value?: boolean;
  /**
   * cat() and system(): the formatted text is a file to print or a command whose output
   * to print (user space does it when the record arrives; only with --unsafe). The span
   * is the call's, for the refusal without --unsafe.
   */
  run?: { kind: 'cat' | 'system'; span: Span };
}

export interface ProgramDescription {
  functionName: string;
  section: string;
  probe: ResolvedProbe;
  /** The actions (drop, pass, tx) the program can take: the runtime refuses traffic changes without --unsafe. */
  actions: ActionUse[];
}

export interface GeneratedCode {
  ir: string;
  maps: MapDescription[];
  internalMaps: InternalMapDescription[];
  printfs: PrintfDescription[];
  /** -k: the places a refused map update is reported from; absent without -k. */
  helperErrorSites?: HelperErrorSite[];
  programs: ProgramDescription[];
  /** capture() call sites; absent or empty when the program captures nothing. */
  captures?: CaptureSite[];
  /** The snap length capture() was compiled with (--snaplen). */
  snaplen?: number;
}

export interface CompiledProgram extends GeneratedCode {
  object: Buffer;
}
