// A running program in the kernel: its maps, loaded programs and links. Everything it
// opens is an fd owned by this process, and every attachment is a link, so the kernel
// drops all of it when the process dies, even on SIGKILL. close() just does it sooner.
import type { CompiledProgram, MapDescription, ProgramDescription } from '../codegen/described.js';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import * as native from './native.js';
import { readMap, type MapReading } from './read-maps.js';

export interface AttachedProbe {
  program: ProgramDescription;
  progFd: number;
  linkFd: number;
  /** e.g. "native" or "generic" for xdp. */
  detail?: string;
}

export interface SessionOptions {
  /** Log level for the verifier (0 = only on failure). */
  verifierLogLevel?: 0 | 1 | 2;
  onVerifierLog?: (program: ProgramDescription, log: string) => void;
}

export class Session {
  private readonly mapFds = new Map<MapDescription, number>();
  readonly probes: AttachedProbe[] = [];
  private closed = false;

  private constructor(readonly compiled: CompiledProgram) {}

  /** Creates maps, loads and attaches every program; on any failure closes what it opened. */
  static start(compiled: CompiledProgram, options: SessionOptions = {}): Session {
    const session = new Session(compiled);
    try {
      session.createMaps();
      for (const program of compiled.programs) session.loadAndAttach(program, options);
      return session;
    } catch (e) {
      session.close();
      throw e;
    }
  }

  readMaps(): MapReading[] {
    return this.compiled.maps.map((map) => readMap(map, this.mapFds.get(map)!));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Links first, so no program runs against a map that is going away.
    for (const p of this.probes) native.closeFd(p.linkFd);
    for (const p of this.probes) native.closeFd(p.progFd);
    for (const fd of this.mapFds.values()) native.closeFd(fd);
  }

  private createMaps(): void {
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

  private loadAndAttach(program: ProgramDescription, options: SessionOptions): void {
    const { probe } = program;
    const mapFds = this.compiled.maps.map((m) => this.mapFds.get(m)!);
    let loaded: { fd: number; log: string };
    try {
      loaded = native.loadProgram({
        obj: this.compiled.object,
        section: program.section,
        progType: probe.progType,
        expectedAttachType: probe.expectedAttachType,
        mapFds,
        logLevel: options.verifierLogLevel ?? 0,
        name: program.functionName,
      });
    } catch (e) {
      throw new DiagnosticError([loadFailure(program, e)]);
    }
    if (options.onVerifierLog && loaded.log) options.onVerifierLog(program, loaded.log);
    const attached: AttachedProbe = { program, progFd: loaded.fd, linkFd: -1 };
    try {
      this.attach(attached);
    } catch (e) {
      native.closeFd(loaded.fd);
      throw new DiagnosticError([attachFailure(program, e)]);
    }
    this.probes.push(attached);
  }

  private attach(attached: AttachedProbe): void {
    const spec = attached.program.probe.attach;
    switch (spec.kind) {
      case 'xdp': {
        const ifindex = interfaceIndex(spec.ifname);
        const { linkFd, mode } = native.attachXdp(attached.progFd, ifindex, 'auto');
        attached.linkFd = linkFd;
        attached.detail = `${mode} mode`;
        return;
      }
      case 'tc': {
        attached.linkFd = native.attachTcx(attached.progFd, interfaceIndex(spec.ifname), spec.direction);
        return;
      }
    }
  }
}

function interfaceIndex(ifname: string): number {
  const index = native.ifNameToIndex(ifname);
  if (index === 0) throw Object.assign(new Error(`no interface named '${ifname}'`), { code: 'NO_SUCH_INTERFACE' });
  return index;
}

/** Kernel object names are at most 15 characters of [A-Za-z0-9_.]. */
function bpfObjectName(displayName: string): string {
  const cleaned = displayName.replace(/^@/, 'm_').replace(/[^A-Za-z0-9_.]/g, '_');
  return (cleaned === 'm_' ? 'm_anon' : cleaned).slice(0, 15);
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
      return error(E.ProbeNotSupported, `this kernel refuses ${probe.kindName} programs: ${messageOf(e)}`, probe.span);
    default:
      return error(E.AttachFailed, `loading the program for ${probe.text} failed: ${messageOf(e)}`, probe.span);
  }
}

function attachFailure(program: ProgramDescription, e: unknown): Diagnostic {
  const { probe } = program;
  if (codeOf(e) === 'NO_SUCH_INTERFACE') return error(E.NoSuchInterface, messageOf(e), probe.span);
  if (codeOf(e) === 'PERMISSION') return error(E.MissingPrivilege, `not allowed to attach ${probe.text}: ${messageOf(e)}`, probe.span, 'attaching network probes needs CAP_NET_ADMIN');
  return error(E.AttachFailed, `attaching ${probe.text} failed: ${messageOf(e)}`, probe.span);
}
