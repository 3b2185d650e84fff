// A running program in the kernel: its maps, loaded programs and attachments. Every fd
// is owned by this process, and every attachment but a classic tc filter is an fd too, so
// the kernel drops it all when the process dies, even on SIGKILL; classic tc filters
// (kernels without tcx) are removed by close() and, after a SIGKILL, by the next run
// (runtime/attach/tc-classic.ts). close() detaches everything.
import { xdpOwner } from './attach/xdp-owner.js';
import type { CompiledProgram, MapDescription, ProgramDescription } from '../model/compiled-program.js';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import * as native from '../native/bpf.js';
import { BPF_UPDATE } from '../model/uapi.js';
import { readRefusedUpdates, type RefusedUpdates } from './map-full.js';
import { alternativesHint as nearProbesHint } from '../probes/alternatives.js';
import { readMap } from './read-maps.js';
import { isKeylessArray } from '../model/keyless-array.js';
import { zeroKeylessArray } from './zero-keyless-array.js';
import type { MapReading } from '../model/map-reading.js';
import { EventStream, type MapActions, type SessionEvent } from './events.js';
import type { InternalMapRole } from '../model/compiled-program.js';
import { formatMapText } from '../format/maps-text.js';
import { trafficChangeRefusals } from './traffic-guard.js';
import { unsafeCallRefusals } from './unsafe-calls.js';
import { keepKernelStacks, prepareInternalMap } from './internal-map-setup.js';
import { attachProgram, type Attachment } from './attach/index.js';
import { CaptureStream } from './capture-stream.js';

export interface AttachedProbe {
  program: ProgramDescription;
  progFd: number;
  /** What holds it in the kernel while attached; closing it detaches. */
  attachment?: Attachment;
  /** e.g. "native" or "generic" for xdp. */
  detail?: string;
  /** How long the kernel took to verify and load the program, and to attach it (for the bench). */
  loadMs?: number;
  attachMs?: number;
}

export interface SessionOptions {
  /** Log level for the verifier (0 = only on failure). */
  verifierLogLevel?: 0 | 1 | 2;
  onVerifierLog?: (program: ProgramDescription, log: string) => void;
  /** --unsafe: attach programs whose actions drop or bounce packets. */
  allowTrafficChanges?: boolean;
  /** false: load every program into the verifier but attach nothing and run nothing (--dry-run). */
  attach?: boolean;
  /** Size of the events ring buffer in bytes: a power of two, a multiple of the page size. */
  ringBufferBytes?: number;
  /** -c: the command's pid, which `cpid` reads (written before BEGIN runs). */
  childPid?: number;
}

/** The `childPid` map's value: cpid, 0 without -c (the checker refuses cpid then). */
function childPidValue(pid: number | undefined): Buffer {
  const value = Buffer.alloc(8);
  value.writeBigUInt64LE(BigInt(pid ?? 0));
  return value;
}

/** The text a printf() or print(@m) event shows; undefined for the other kinds. */
export function eventText(event: SessionEvent): string | undefined {
  if (event.kind === 'printf') return event.text;
  if (event.kind === 'print') return formatMapText(event.reading, { top: event.top });
  return undefined;
}

export class Session {
  private readonly mapFds = new Map<MapDescription, number>();
  private readonly internalFds = new Map<InternalMapRole, number>();
  /** Called as the internal maps' fds close (internal-map-setup.ts). */
  private readonly internalMapsClosing: (() => void)[] = [];
  readonly probes: AttachedProbe[] = [];
  private closed = false;
  private finished = false;
  private detaching: Promise<void> = Promise.resolve();
  private events?: EventStream;
  private capture?: CaptureStream;
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  /** Events that came before anyone listened (BEGIN's, say): delivered to the first listener. */
  private pending: SessionEvent[] = [];

  private constructor(readonly compiled: CompiledProgram) {}

  /** Creates maps, loads and attaches every program; on any failure closes what it opened. */
  static start(compiled: CompiledProgram, options: SessionOptions = {}): Session {
    if (!options.allowTrafficChanges) {
      const refusals = [...trafficChangeRefusals(compiled), ...unsafeCallRefusals(compiled)];
      if (refusals.length > 0) throw new DiagnosticError(refusals);
    }
    const session = new Session(compiled);
    try {
      session.createMaps(options);
      // Everything is verified before anything runs: a rejected program stops the start
      // before BEGIN has printed a line.
      // (Each is listed at once, so close() frees it whatever fails next.)
      for (const program of compiled.programs) session.probes.push(session.load(program, options));
      if (options.attach === false) return session;
      session.startEvents();
      // BEGIN runs before any other probe is attached, as in bpftrace.
      for (const probe of session.probes.filter((p) => isOnce(p, 'begin'))) session.runOnce(probe);
      for (const probe of session.probes.filter((p) => p.program.probe.attach.kind !== 'once')) session.attachLoaded(probe);
      return session;
    } catch (e) {
      session.close();
      throw e;
    }
  }

  /**
   * Stops tracing: detaches every probe, runs END, and delivers every event still in the
   * ring buffer (END's included). The maps stay readable until close(). Idempotent.
   *
   * `detachInBackground`: a program with nothing that must come after the detach (no END,
   * no ring buffer of records or packets) has its links closed on libuv's pool instead,
   * so the wait for the kernel's grace period overlaps reading and printing the maps; the
   * probes are unhooked as the closes begin. detached() says when they are done.
   */
  finish({ detachInBackground = false } = {}): void {
    if (this.finished || this.closed) return;
    this.finished = true;
    if (detachInBackground && this.nothingAfterDetach()) {
      this.detaching = this.detachAllInBackground();
      // Handled here too: a failure is reported to whoever awaits detached(), which may come later.
      this.detaching.catch(() => {});
    } else {
      this.detachAll();
    }
    // What the probes sent goes first: a ring buffer they filled would refuse END's lines.
    this.capture?.drain();
    this.events?.drain();
    for (const probe of this.probes.filter((p) => isOnce(p, 'end'))) this.runOnce(probe);
    this.events?.drain();
  }

  /** Every structured event: printf lines, print(@m) readings, exit, lost records. */
  onEvent(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    const waiting = this.pending;
    this.pending = [];
    for (const event of waiting) listener(event);
    return () => this.listeners.delete(listener);
  }

  /**
   * The program's text output as lines: each printf() as formatted, and each print(@m)
   * as the map's text. (Lost records and exit come only through onEvent.)
   */
  onPrintf(listener: (text: string) => void): () => void {
    return this.onEvent((event) => {
      const text = eventText(event);
      if (text !== undefined) listener(text);
    });
  }

  /** Empties every map of the program (the REPL's reset). */
  clearMaps(): void {
    for (const map of this.compiled.maps) native.mapClear(this.mapFds.get(map)!);
  }

  /** Whether a program called exit(), BEGIN's included, before its record is read. */
  exitRequested(): boolean {
    return this.events?.exitRequested() ?? false;
  }

  /** Records the ring buffer refused so far. */
  lostEvents(): bigint {
    return this.events?.lostTotal() ?? 0n;
  }

  /** Per capture() call site, the packets the capture ring refused so far. */
  capturesRefused(): bigint[] {
    return this.capture?.refused() ?? [];
  }

  /** Per map, the updates refused so far because the map was full (only maps with some). */
  refusedUpdates(): RefusedUpdates[] {
    const fd = this.internalFds.get('full');
    return fd === undefined ? [] : readRefusedUpdates(this.compiled.maps, fd);
  }

  readMaps(): MapReading[] {
    const readings = this.compiled.maps.map((map) => readMap(map, this.mapFds.get(map)!));
    keepKernelStacks(readings);
    return readings;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events?.close();
    this.capture?.close();
    // Attachments first, so no program runs against a map that is going away; the fds
    // are closed even when a detach fails (a clsact filter netlink refused to remove).
    try {
      this.detachAll();
    } finally {
      for (const p of this.probes) native.closeFd(p.progFd);
      for (const fd of this.mapFds.values()) native.closeFd(fd);
      for (const closing of this.internalMapsClosing) closing();
      for (const fd of this.internalFds.values()) native.closeFd(fd);
    }
  }

  /** Resolves once every probe is detached (at once unless finish() detached in the background). */
  detached(): Promise<void> {
    return this.detaching;
  }

  /** No END to run after the probes, and no ring whose last records must be read after them. */
  private nothingAfterDetach(): boolean {
    return !this.probes.some((p) => isOnce(p, 'end')) && !this.internalFds.has('events') && !this.internalFds.has('capture');
  }

  /** detachAll(), with each link closed on libuv's pool; the promise settles when all are closed. */
  private async detachAllInBackground(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const p of this.probes) {
      const attachment = p.attachment;
      p.attachment = undefined;
      if (!attachment) continue;
      // A classic tc filter's netlink exchange is done here and now; a throw rejects.
      closing.push(attachment.closeInBackground?.() ?? new Promise<void>((resolve) => resolve(attachment.close())));
    }
    const failure = (await Promise.allSettled(closing)).find((r) => r.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
  }

  /** Closes every attachment, going on past one that fails so the others still detach. */
  private detachAll(): void {
    let failure: unknown;
    for (const p of this.probes) {
      try {
        p.attachment?.close();
      } catch (e) {
        failure ??= e;
      }
      p.attachment = undefined;
    }
    if (failure !== undefined) throw failure;
  }

  private emit(event: SessionEvent): void {
    if (this.listeners.size === 0) {
      // Kept for the first listener, but not without bound for a session nobody reads.
      if (this.pending.length < MAX_PENDING_EVENTS) this.pending.push(event);
      return;
    }
    for (const l of this.listeners) l(event);
  }

  private startEvents(): void {
    const captureRing = this.internalFds.get('capture');
    if (captureRing !== undefined) {
      this.capture = new CaptureStream(captureRing, this.internalFds.get('captureLost'), this.compiled.captures?.length ?? 0, (packet) => this.emit({ kind: 'packet', packet }));
      this.capture.start();
    }
    const events = this.internalFds.get('events');
    const status = this.internalFds.get('status');
    if (events === undefined && status === undefined) return;
    const actions: MapActions = {
      read: (map) => readMap(map, this.mapFds.get(map)!),
      clear: (map) => native.mapClear(this.mapFds.get(map)!),
      zero: (map) => zeroMap(map, this.mapFds.get(map)!),
    };
    this.events = new EventStream(this.compiled, events, status, actions, (e) => this.emit(e));
    this.events.start();
  }

  /** BEGIN and END: one run through BPF_PROG_TEST_RUN, on nettrace's own thread. */
  private runOnce(probe: AttachedProbe): void {
    try {
      native.progTestRun(probe.progFd, Buffer.alloc(ONCE_FRAME_BYTES), 1);
    } catch (e) {
      throw new DiagnosticError([attachFailure(probe.program, e)]);
    }
  }

  private createMaps(options: SessionOptions): void {
    for (const map of this.compiled.internalMaps) {
      const ring = map.role === 'events' && options.ringBufferBytes !== undefined;
      const fd = native.createMap({
        type: map.bpfType,
        keySize: map.keySize,
        valueSize: map.valueSize,
        maxEntries: ring ? options.ringBufferBytes! : map.maxEntries,
        name: `nt_${map.role}`,
      });
      this.internalFds.set(map.role, fd);
      this.internalMapsClosing.push(prepareInternalMap(map.role, fd, this.compiled));
      if (map.role === 'childPid') native.mapUpdate(fd, Buffer.alloc(4), childPidValue(options.childPid));
    }
    for (const map of this.compiled.maps) {
      const fd = native.createMap({
        type: map.bpfType,
        keySize: map.key.size,
        valueSize: map.valueSize,
        maxEntries: map.maxEntries,
        name: bpfObjectName(map.displayName),
      });
      this.mapFds.set(map, fd);
    }
  }

  private load(program: ProgramDescription, options: SessionOptions): AttachedProbe {
    const { probe } = program;
    const mapFds = this.mapFdsByIndex();
    let loaded: { fd: number; log: string };
    const loadStart = nowMs();
    try {
      loaded = native.loadProgram({
        obj: this.compiled.object,
        section: program.section,
        progType: probe.progType,
        expectedAttachType: probe.expectedAttachType,
        attachBtfName: probe.attachBtfName,
        mapFds,
        logLevel: options.verifierLogLevel ?? 0,
        // nt_ marks the objects as nettrace's: reliability tests find them by it.
        name: `nt_${program.functionName}`,
      });
    } catch (e) {
      throw new DiagnosticError([loadFailure(program, e)]);
    }
    if (options.onVerifierLog && loaded.log) options.onVerifierLog(program, loaded.log);
    const attached: AttachedProbe = { program, progFd: loaded.fd, loadMs: nowMs() - loadStart };
    const { attach } = probe;
    if (attach.kind === 'once') attached.detail = attach.when === 'begin' ? 'runs at start' : 'runs at exit';
    return attached;
  }

  private attachLoaded(attached: AttachedProbe): void {
    const attachStart = nowMs();
    const spec = attached.program.probe.attach;
    if (spec.kind === 'once') return;
    try {
      attached.attachment = attachProgram(attached.progFd, spec);
      attached.detail = attached.attachment.detail;
      attached.attachMs = nowMs() - attachStart;
    } catch (e) {
      throw new DiagnosticError([attachFailure(attached.program, e)]);
    }
  }

  /** fds[i] is the fd of the map codegen numbered i: the user's maps, then internal ones. */
  private mapFdsByIndex(): number[] {
    const fds: number[] = [];
    for (const m of this.compiled.maps) fds[m.index] = this.mapFds.get(m)!;
    for (const m of this.compiled.internalMaps) fds[m.index] = this.internalFds.get(m.role)!;
    return fds;
  }
}

/** Events a session keeps while nobody listens (BEGIN's output before the CLI subscribes). */
const MAX_PENDING_EVENTS = 10_000;

/** XDP's test run wants at least an Ethernet header of data; BEGIN and END never read it. */
const ONCE_FRAME_BYTES = 64;

/**
 * Milliseconds on a monotonic clock. (`performance` would load perf_hooks and its
 * internals into every run for two timings only the bench reads.)
 */
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function isOnce(probe: AttachedProbe, when: 'begin' | 'end'): boolean {
  const spec = probe.program.probe.attach;
  return spec.kind === 'once' && spec.when === when;
}

/** zero(@m): every value back to zero, the keys kept. */
function zeroMap(map: MapDescription, fd: number): void {
  if (isKeylessArray(map)) return zeroKeylessArray(map, fd);
  const { keys, count } = native.mapLookupBatch(fd, map.key.size, map.valueSize, { perCpu: map.perCpu, maxEntries: map.maxEntries });
  const valueBytes = map.perCpu ? Math.ceil(map.valueSize / 8) * 8 * native.numPossibleCpus() : map.valueSize;
  const zeroes = Buffer.alloc(valueBytes);
  for (let i = 0; i < count; i++) native.mapUpdate(fd, keys.subarray(i * map.key.size, (i + 1) * map.key.size), zeroes, BPF_UPDATE.EXIST);
}

/**
 * Kernel object names are at most 15 characters of [A-Za-z0-9_.]. The nt_ prefix marks
 * them as nettrace's (`nt_anon` for `@`, `nt_bytes` for `@bytes`), as program names do.
 */
function bpfObjectName(displayName: string): string {
  const cleaned = displayName.replace(/^@/, '').replace(/[^A-Za-z0-9_.]/g, '_');
  return `nt_${cleaned === '' ? 'anon' : cleaned}`.slice(0, 15);
}

function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function loadFailure(program: ProgramDescription, e: unknown): Diagnostic {
  const { probe } = program;
  switch (codeOf(e)) {
    case 'VERIFIER': {
      const log = String((e as { log?: string }).log ?? '').trimEnd().split('\n');
      const mapLimit = /total number of maps per program has reached the limit of (\d+)/.exec(log.join('\n'));
      if (mapLimit) {
        return error(
          E.TooManyMapsInProgram,
          `the program for ${probe.text} uses more than the ${mapLimit[1]} maps the kernel allows one program`,
          probe.span,
          'every block on one xdp:IF is part of one program: use fewer maps there (one map with one more key, @m[N, ...], instead of @m1, @m2, ...)',
        );
      }
      return error(
        E.VerifierRejected,
        `the kernel verifier rejected the program for ${probe.text}`,
        probe.span,
        `verifier's last lines:\n${log.slice(-8).map((l) => '    ' + l).join('\n')}`,
        'run with -v to see the whole log; please report this as a nettrace bug',
      );
    }
    case 'PERMISSION':
      return error(E.MissingPrivilege, `not allowed to load BPF programs: ${messageOf(e)}`, probe.span, 'run as root, or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN');
    case 'NOT_SUPPORTED':
      return error(E.ProbeNotSupported, `this kernel refuses ${probe.kindName} programs: ${messageOf(e)}`, probe.span, ...alternativesHint(probe));
    case 'NO_SUCH_TRACEPOINT':
      return error(E.NoSuchTracepoint, `the kernel has no target for ${probe.text}: ${messageOf(e)}`, probe.span);
    default:
      return error(E.AttachFailed, `loading the program for ${probe.text} failed: ${messageOf(e)}`, probe.span);
  }
}

/** For fentry and the like: the tracepoints that cover the same ground (probes/alternatives.ts). */
function alternativesHint(probe: ProgramDescription['probe']): string[] {
  if (!probe.alternatives) return [];
  return nearProbesHint(probe.attachBtfName ?? probe.text, probe.alternatives);
}

function attachFailure(program: ProgramDescription, e: unknown): Diagnostic {
  const { probe } = program;
  if (codeOf(e) === 'NO_SUCH_INTERFACE') return error(E.NoSuchInterface, messageOf(e), probe.span);
  if (codeOf(e) === 'NO_SUCH_TRACEPOINT') return error(E.NoSuchTracepoint, `attaching ${probe.text} failed: ${messageOf(e)}`, probe.span);
  if (codeOf(e) === 'NOT_SUPPORTED') return error(E.ProbeNotSupported, `this kernel refuses to attach ${probe.text}: ${messageOf(e)}`, probe.span, ...alternativesHint(probe));
  if (codeOf(e) === 'PERMISSION') return error(E.MissingPrivilege, `not allowed to attach ${probe.text}: ${messageOf(e)}`, probe.span, 'attaching network probes needs CAP_NET_ADMIN');
  const owner = probe.attach.kind === 'xdp' && /File exists|busy/i.test(messageOf(e)) ? xdpOwner(probe.attach.ifname) : undefined;
  if (owner && probe.attach.kind === 'xdp') {
    const { ifname } = probe.attach;
    return error(
      E.AttachFailed,
      `attaching ${probe.text} failed: another XDP program (id ${owner.id}${owner.name ? `, name ${owner.name}` : ''}) is attached to ${ifname}, and an interface has one XDP hook`,
      probe.span,
      `tc:${ifname}:ingress sees the same packets a little later (after the kernel made an sk_buff) and runs beside any XDP program`,
      owner.name.startsWith('nt_') ? `${owner.name} is another nettrace's; all xdp:${ifname} blocks of one program share its one hook` : `bpftool prog show id ${owner.id} says whose it is`,
    );
  }
  return error(E.AttachFailed, `attaching ${probe.text} failed: ${messageOf(e)}`, probe.span);
}
