// The kernel side through nettrace_bpf.node (libbpf): maps, program loading, attaching,
// the ring buffer, feature probes and object ids. Everything a compiled program needs to
// run, and no LLVM: runtime/ uses only this. Every failure is a NativeError (errors.ts).
import { BPF_UPDATE } from '../model/uapi.js';
import { nativeModule } from './errors.js';

export interface MapSpec {
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** Kernel map name; cleaned to at most 15 chars of [A-Za-z0-9_.]. */
  name: string;
  flags?: number;
}

export interface BatchResult {
  /** count * keySize bytes. */
  keys: Buffer;
  /** count * valueSize bytes, or count * numPossibleCpus() * roundUp8(valueSize) for per-CPU maps. */
  values: Buffer;
  count: number;
}

export interface LoadSpec {
  /** ELF object from emitObject. */
  obj: Buffer;
  /** ELF section of the program (as passed to emitObject). */
  section: string;
  progType: number;
  expectedAttachType?: number;
  /** For tp_btf (expectedAttachType 23) the tracepoint name; for fentry/fexit the function. */
  attachBtfName?: string;
  /** mapFds[i] replaces map index i of llvm.bpf.pseudo(1, i). */
  mapFds: number[];
  /** Verifier log level wanted on success (0 = none). Failures always carry a log. */
  logLevel?: 0 | 1 | 2;
  /**
   * Kernel program name (cleaned to 15 chars); defaults to the function's name. When
   * several functions share `section`, the one whose function name equals `name` loads.
   */
  name?: string;
}

export interface LoadedProgram {
  fd: number;
  log: string;
  insnCount: number;
}

export interface ProgInfo {
  runTimeNs: bigint;
  runCnt: bigint;
  xlatedLen: number;
  jitedLen: number;
  id: number;
}

export interface TestRunResult {
  retval: number;
  /** Average per repetition. */
  durationNs: number;
  dataOut: Buffer;
}

export type XdpMode = 'native' | 'generic';

export interface RingBufferHandle {
  /** Stops delivery and frees the consumer; idempotent, callable from onEvent. */
  close(): void;
  /**
   * Consumes pending records synchronously (waiting up to timeoutMs) and returns how many
   * were delivered; rethrows what onEvent threw. For draining at exit: 0 reads the ring
   * itself, so a record committed before the kernel's wake-up reached epoll is delivered too.
   */
  poll(timeoutMs: number): number;
}

/** A BPF program the kernel holds (any process's), from listKernelObjects('prog'). */
export interface KernelProg {
  id: number;
  name: string;
  type: number;
  mapIds: number[];
  /** Counted only while sysctl kernel.bpf_stats_enabled=1. */
  runTimeNs: bigint;
  runCnt: bigint;
  /** Bytes of translated instructions (8 per instruction). */
  xlatedLen: number;
}

export interface KernelMap {
  id: number;
  name: string;
  type: number;
  maxEntries: number;
}

export interface KernelLink {
  id: number;
  type: number;
  progId: number;
  /** XDP and tcx links: the interface, or 0 once the interface is gone. */
  ifindex?: number;
}

/** What the running kernel offers, each found by asking it (native/src/features.cc). */
export interface KernelFeatures {
  /** /sys/kernel/btf/vmlinux: typed arguments, rawtracepoint, fentry, kprobe args. */
  btf: boolean;
  /** BPF ring buffer (5.8): printf and events. */
  ringbuf: boolean;
  /** BPF links for perf events (5.15): otherwise tracepoints and kprobes attach by ioctl. */
  perfLink: boolean;
  /** tcx links (6.6): otherwise tc probes attach as clsact cls_bpf filters. */
  tcx: boolean;
  /** The kprobe PMU (CONFIG_KPROBES). */
  kprobes: boolean;
  /** kprobe_multi links (5.18, CONFIG_FPROBE). */
  kprobeMulti: boolean;
  /** BPF trampolines: fentry/fexit load and attach. */
  trampolines: boolean;
  /** Batched map lookups (5.6). */
  batchOps: boolean;
  /** bpf_xdp_load_bytes (5.18): capture() at xdp. */
  xdpLoadBytes: boolean;
}

/** A cls_bpf filter on a clsact hook, as attachTcClassic made it or listTcFilters found it. */
export interface TcFilter {
  handle: number;
  priority: number;
  progId: number;
}

export interface TcFilterInfo extends TcFilter {
  /** "bpf" for cls_bpf. */
  kind: string;
  /** cls_bpf filters are named after their program: "nt_prog0:[42]". */
  name: string;
}

interface BpfAddon {
  probeFeature(name: keyof KernelFeatures): boolean;
  attachKprobe(progFd: number, func: string, retprobe: boolean): number;
  attachTcClassic(progFd: number, ifindex: number, direction: 'ingress' | 'egress'): TcFilter & { qdiscCreated: boolean };
  detachTcClassic(ifindex: number, direction: 'ingress' | 'egress', handle: number, priority: number): boolean;
  destroyClsact(ifindex: number): boolean;
  listTcFilters(ifindex: number, direction: 'ingress' | 'egress'): TcFilterInfo[];
  createMap(spec: MapSpec): number;
  mapLookupBatch(
    fd: number,
    keySize: number,
    valueSize: number,
    opts: { perCpu: boolean; maxEntries: number },
  ): BatchResult;
  mapLookup(fd: number, key: Buffer, valueBytes: number): Buffer | null;
  mapUpdate(fd: number, key: Buffer, value: Buffer, flags?: number): void;
  mapDelete(fd: number, key: Buffer): boolean;
  mapClear(fd: number): void;
  numPossibleCpus(): number;
  loadProgram(spec: LoadSpec): LoadedProgram;
  progInfo(fd: number): ProgInfo;
  progTestRun(fd: number, data: Buffer, repeat: number): TestRunResult;
  attachXdp(progFd: number, ifindex: number, mode: XdpMode | 'auto'): { linkFd: number; mode: XdpMode };
  attachTcx(progFd: number, ifindex: number, direction: 'ingress' | 'egress'): number;
  attachTracepoint(progFd: number, category: string, name: string): number;
  attachRawTracepoint(progFd: number, name: string | null): number;
  attachTracing(progFd: number): number;
  attachPerfEventTimer(progFd: number, periodNs: number, cpu: number): number;
  closeFd(fd: number): void;
  ifNameToIndex(name: string): number;
  listInterfaces(): string[];
  openRingBuffer(mapFd: number, onEvent: (data: Buffer) => void): RingBufferHandle;
  listKernelObjects(kind: 'prog'): KernelProg[];
  listKernelObjects(kind: 'map'): KernelMap[];
  listKernelObjects(kind: 'link'): KernelLink[];
  linkInfo(fd: number): KernelLink;
  preloadLibrary(soname: string): Promise<boolean>;
}

const bpf = nativeModule<BpfAddon>('nettrace_bpf.node');

/**
 * dlopen()s a shared library on a thread of libuv's pool (native/src/preload.cc), so that
 * a module loaded later that needs it finds it loaded. Resolves whether it loaded; a
 * warm-up only, never an error.
 */
export function preloadLibrary(soname: string): Promise<boolean> {
  try {
    return bpf.call((n) => n.preloadLibrary(soname)).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

// ---------------------------------------------------------------------------------
// 2. Maps

export function createMap(spec: MapSpec): number {
  return bpf.call((n) => n.createMap(spec));
}

/**
 * Reads the whole map (batched; falls back to key iteration where batching is not
 * supported). keySize / valueSize / perCpu must match the map; maxEntries sizes the
 * first buffer. Per-CPU values are returned raw, one slot of roundUp8(valueSize) per
 * possible CPU.
 */
export function mapLookupBatch(
  fd: number,
  keySize: number,
  valueSize: number,
  opts: { perCpu: boolean; maxEntries: number },
): BatchResult {
  return bpf.call((n) => n.mapLookupBatch(fd, keySize, valueSize, opts));
}

/** The value (valueBytes must be the map's full value size, per-CPU included), or null. */
export function mapLookup(fd: number, key: Buffer, valueBytes: number): Buffer | null {
  return bpf.call((n) => n.mapLookup(fd, key, valueBytes));
}

export function mapUpdate(fd: number, key: Buffer, value: Buffer, flags: number = BPF_UPDATE.ANY): void {
  bpf.call((n) => n.mapUpdate(fd, key, value, flags));
}

/** True when the key existed. */
export function mapDelete(fd: number, key: Buffer): boolean {
  return bpf.call((n) => n.mapDelete(fd, key));
}

/**
 * Deletes every key; array maps (whose keys cannot go) get every value zeroed. The key
 * size is read from the map; the parameter is kept for callers that pass it.
 */
export function mapClear(fd: number, _keySize?: number): void {
  bpf.call((n) => n.mapClear(fd));
}

export function numPossibleCpus(): number {
  return bpf.call((n) => n.numPossibleCpus());
}

// ---------------------------------------------------------------------------------
// 3. Programs

/**
 * Loads the program of `spec.section` with its map indexes bound to `spec.mapFds`.
 * Failures: VERIFIER (with `log`), PERMISSION, NOT_SUPPORTED (e.g. this kernel's
 * EPERM for fentry while we hold the capabilities), NO_SUCH_TRACEPOINT (unknown
 * attachBtfName), OTHER.
 */
export function loadProgram(spec: LoadSpec): LoadedProgram {
  return bpf.call((n) => n.loadProgram(spec));
}

/** run_time_ns / run_cnt count only while sysctl kernel.bpf_stats_enabled=1. */
export function progInfo(fd: number): ProgInfo {
  return bpf.call((n) => n.progInfo(fd));
}

/** BPF_PROG_TEST_RUN: runs an XDP / tc / raw_tp program `repeat` times on `data`. */
export function progTestRun(fd: number, data: Buffer, repeat: number): TestRunResult {
  return bpf.call((n) => n.progTestRun(fd, data, repeat));
}

// ---------------------------------------------------------------------------------
// 4. Attach. Every attach but tc-classic returns an fd (a link, or a perf event before
// 5.15): closing it, or the process dying, detaches. attachTcClassic is the exception.

/** 'auto' tries the driver's native mode, then generic (skb) mode; says which was used. */
export function attachXdp(
  progFd: number,
  ifindex: number,
  mode: XdpMode | 'auto',
): { linkFd: number; mode: XdpMode } {
  return bpf.call((n) => n.attachXdp(progFd, ifindex, mode));
}

/** tcx link (kernel 6.6+) on the ingress or egress hook of the interface. */
export function attachTcx(progFd: number, ifindex: number, direction: 'ingress' | 'egress'): number {
  return bpf.call((n) => n.attachTcx(progFd, ifindex, direction));
}

/**
 * Classic tracepoint CATEGORY:NAME through a perf-event link (or, before 5.15, the perf
 * event's fd with the program set by ioctl: either way the returned fd holds it). Mounts tracefs at
 * /sys/kernel/tracing when it is missing. Call from the root mount namespace
 * (`ip netns exec` hides tracefs).
 */
export function attachTracepoint(progFd: number, category: string, name: string): number {
  return bpf.call((n) => n.attachTracepoint(progFd, category, name));
}

/** Raw tracepoint by name, or a tp_btf program (name null: its target came at load). */
export function attachRawTracepoint(progFd: number, name: string | null): number {
  return bpf.call((n) => n.attachRawTracepoint(progFd, name));
}

/**
 * fentry / fexit at the target given at load. This kernel blocks BPF trampolines:
 * expect NOT_SUPPORTED (with errno) here or already from loadProgram.
 */
export function attachTracing(progFd: number): number {
  return bpf.call((n) => n.attachTracing(progFd));
}

/**
 * kprobe / kretprobe on a kernel function through the kprobe PMU. Returns the fd that
 * holds the attachment (a link, or the perf event itself before 5.15); closing it detaches.
 * NO_SUCH_TRACEPOINT when the function cannot be probed, NOT_SUPPORTED without kprobes.
 */
export function attachKprobe(progFd: number, func: string, retprobe: boolean): number {
  return bpf.call((n) => n.attachKprobe(progFd, func, retprobe));
}

/**
 * tc without tcx: a direct-action cls_bpf filter on the interface's clsact qdisc, which is
 * created when missing (`qdiscCreated`). Not a link: it stays until detachTcClassic.
 */
export function attachTcClassic(progFd: number, ifindex: number, direction: 'ingress' | 'egress'): TcFilter & { qdiscCreated: boolean } {
  return bpf.call((n) => n.attachTcClassic(progFd, ifindex, direction));
}

/** Removes one filter; false when it (or its interface) was already gone. */
export function detachTcClassic(ifindex: number, direction: 'ingress' | 'egress', filter: Pick<TcFilter, 'handle' | 'priority'>): boolean {
  return bpf.call((n) => n.detachTcClassic(ifindex, direction, filter.handle, filter.priority));
}

/** Removes the interface's clsact qdisc with whatever is on it; false when there was none. */
export function destroyClsact(ifindex: number): boolean {
  return bpf.call((n) => n.destroyClsact(ifindex));
}

/** The filters on one clsact hook (none when the interface has no clsact qdisc). */
export function listTcFilters(ifindex: number, direction: 'ingress' | 'egress'): TcFilterInfo[] {
  return bpf.call((n) => n.listTcFilters(ifindex, direction));
}

/** Asks the running kernel whether it has a feature; use runtime/features.ts, which asks once. */
export function probeFeature(name: keyof KernelFeatures): boolean {
  return bpf.call((n) => n.probeFeature(name));
}

/** PERF_EVENT program on a CPU-clock timer firing every periodNs on `cpu`. */
export function attachPerfEventTimer(progFd: number, periodNs: number, cpu: number): number {
  return bpf.call((n) => n.attachPerfEventTimer(progFd, periodNs, cpu));
}

export function closeFd(fd: number): void {
  bpf.call((n) => n.closeFd(fd));
}

/** 0 when there is no such interface. */
export function ifNameToIndex(name: string): number {
  return bpf.call((n) => n.ifNameToIndex(name));
}

export function listInterfaces(): string[] {
  return bpf.call((n) => n.listInterfaces());
}

// ---------------------------------------------------------------------------------
// 5. Ring buffer

/**
 * Delivers each record of a BPF_MAP_TYPE_RINGBUF map to onEvent (a copy), from Node's
 * event loop (no extra thread). The subscription keeps the loop alive until close().
 * An exception thrown by onEvent while the loop delivers becomes an uncaught exception;
 * during poll() it is rethrown by poll().
 */
export function openRingBuffer(mapFd: number, onEvent: (data: Buffer) => void): RingBufferHandle {
  const handle = bpf.call((n) => n.openRingBuffer(mapFd, onEvent));
  return {
    close: () => bpf.call(() => handle.close()),
    poll: (timeoutMs: number) => bpf.call(() => handle.poll(timeoutMs)),
  };
}

// ---------------------------------------------------------------------------------
// 6. Kernel object ids

/**
 * Every BPF program, map or link in the kernel (all processes'), in id order. Needs
 * CAP_SYS_ADMIN. Objects freed while the walk runs are skipped.
 */
export function listKernelObjects(kind: 'prog'): KernelProg[];
export function listKernelObjects(kind: 'map'): KernelMap[];
export function listKernelObjects(kind: 'link'): KernelLink[];
export function listKernelObjects(kind: 'prog' | 'map' | 'link'): KernelProg[] | KernelMap[] | KernelLink[] {
  return bpf.call((n) => n.listKernelObjects(kind as 'prog'));
}

/** The state of a link this process holds; an XDP/tcx link reports ifindex 0 once its interface is gone. */
export function linkInfo(fd: number): KernelLink {
  return bpf.call((n) => n.linkInfo(fd));
}
