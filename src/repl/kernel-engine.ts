// The Engine on the live kernel: every entered program is compiled with the same
// compileStages() as `nettrace -e` and run under the same run policy (runtime/run/), as
// its own ProgramRun kept under an id. What a run reports becomes engine events; a run
// that ends by itself (exit(), its interfaces gone) leaves the list as .detach does.
// closeAll(), which start-repl.tsx also runs from the process's exit and signal
// handlers, ends every run.
import type { KernelEnv } from '../model/kernel-env.js';
import type * as Compiler from '../compile.js';
import { applyMapEntries } from '../runtime/run/map-entries.js';
import { ProgramRun } from '../runtime/run/program-run.js';
import type { RunRecord } from '../runtime/run/records.js';
import { eventText } from '../runtime/session.js';
import { labelled } from './labelled-reading.js';
import type { Engine, EngineEvent, ProgramInfo, ProgramReading } from './engine.js';
import { mapLabels } from './map-labels.js';
import type { EndpointRequest } from '../serve/endpoint.js';
import type { MetricsServer } from '../serve/metrics-server.js';
import { startCapture, type CaptureRun } from '../capture/capture-run.js';
import { numberedCaptureFile, openCaptureSink } from '../capture/capture-sink.js';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';

export interface KernelEngineOptions {
  /** Programs with actions (drop, tx) may attach, as with `nettrace --unsafe`. */
  unsafe?: boolean;
  /** `nettrace --map-entries N`: how many keys every map holds. */
  mapEntries?: number;
  /** `nettrace --ring-pages N`, in bytes: each program's events ring buffer. */
  ringBufferBytes?: number;
  /** --web-config, --serve-insecure, --serve-max-series: for `.serve`. */
  serve?: Omit<EndpointRequest, 'address'>;
}

interface Running {
  info: ProgramInfo;
  run: ProgramRun;
  /** capture(): the program's pcapng file (.capture). */
  capture?: CaptureRun;
}

/** The compiler, imported on the first ready() so the REPL's prompt does not wait for it. */
let compiler: typeof Compiler | undefined;
let compilerLoading: Promise<void> | undefined;
function loadCompiler(): Promise<void> {
  compilerLoading ??= import('../compile.js').then((m) => void (compiler = m));
  return compilerLoading;
}

export function createKernelEngine(env: KernelEnv, options: KernelEngineOptions = {}): Engine {
  const running = new Map<number, Running>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let nextId = 1;
  let endpoint: MetricsServer | undefined;
  /** `.capture FILE`, and whether a program has written FILE itself already. */
  let captureFile: string | undefined;
  let captureFileUsed = false;

  const emit = (event: EngineEvent) => {
    for (const l of listeners) l(event);
  };

  function onRecord(info: ProgramInfo, record: RunRecord): void {
    switch (record.kind) {
      case 'printf':
      case 'print':
        return emit({ kind: 'printf', programId: info.id, text: eventText(record)! });
      case 'lost':
        return emit({ kind: 'lost', programId: info.id, total: record.total });
      case 'interface-lost':
      case 'map-full':
        return emit({ kind: 'warning', program: info, diagnostics: record.diagnostics });
      case 'packet':
        return running.get(info.id)?.capture?.packet(record.packet);
      case 'ended': {
        const capture = running.get(info.id)?.capture;
        const closing = capture?.finish(record.end.capturesRefused ?? []);
        // Gone from the list whoever ended it; closeAll() ends runs without a word.
        if (!running.delete(info.id)) return;
        if (closing?.lost.length) emit({ kind: 'warning', program: info, diagnostics: closing.lost });
        if (closing) emit({ kind: 'printf', programId: info.id, text: closing.summary + '\n' });
        return emit({ kind: 'ended', program: info, end: record.end });
      }
    }
  }

  /** The pcapng file of a program that calls capture(): NT0443 without .capture. */
  function captureFor(compiled: Compiler.Compilation['compiled'], id: number): CaptureRun | undefined {
    if (!compiled.captures?.length) return undefined;
    if (captureFile === undefined) {
      throw new DiagnosticError([error(E.CaptureWithoutFile, 'the program calls capture() but no .capture FILE says where the packets go', undefined, 'type .capture FILE.pcapng first, then the program again')]);
    }
    const path = captureFileUsed ? numberedCaptureFile(captureFile, id) : captureFile;
    const capture = startCapture(compiled, openCaptureSink(path));
    captureFileUsed = true;
    return capture;
  }

  return {
    ready: loadCompiler,

    attach(source, origin) {
      // The App submits only after ready(); this is for callers that did not wait.
      if (compiler === undefined) throw new Error('the compiler is still loading: await engine.ready() before attach()');
      const stages = compiler.compileStages(source, env);
      applyMapEntries(stages.compiled, options.mapEntries);
      const info: ProgramInfo = { id: nextId, source, origin, probes: [], mapLabels: mapLabels(stages.ast, source) };
      const capture = captureFor(stages.compiled, info.id);
      let run: ProgramRun;
      try {
        run = ProgramRun.start(stages.compiled, { allowTrafficChanges: options.unsafe, ringBufferBytes: options.ringBufferBytes }, (record) =>
          onRecord(info, record),
        );
      } catch (e) {
        capture?.finish([]);
        throw e;
      }
      info.probes = run.probes.map((p) => ({ text: p.program.probe.text, detail: p.detail }));
      nextId++;
      running.set(info.id, { info, run, capture });
      return info;
    },

    detach(id) {
      const r = running.get(id);
      if (!r) return undefined;
      try {
        r.run.stop();
      } finally {
        running.delete(id);
      }
      return r.info;
    },

    discard(id) {
      const r = running.get(id);
      running.delete(id);
      r?.run.close();
      r?.capture?.finish([]);
    },

    programs: () => byId(running).map((r) => r.info),

    capture(file) {
      captureFile = file;
      captureFileUsed = false;
    },

    async serve(address, warn) {
      // Loaded on the first .serve: the HTTP server, YAML reader and bcrypt.
      const [{ startEndpoint }, { runSource }] = await Promise.all([import('../serve/endpoint.js'), import('../serve/run-source.js')]);
      await endpoint?.close();
      endpoint = undefined;
      endpoint = await startEndpoint(
        { ...options.serve, address },
        () => byId(running).map((r) => runSource(r.run, ['program', String(r.info.id)])),
        warn,
      );
      return endpoint.url;
    },

    async stopServing() {
      const was = endpoint;
      endpoint = undefined;
      await was?.close();
      return was !== undefined;
    },

    read() {
      return byId(running).map((r): ProgramReading => {
        try {
          return { program: r.info, maps: r.run.session.readMaps().map(labelled), status: r.run.status() };
        } catch (e) {
          return { program: r.info, maps: [], error: e instanceof Error ? e.message : String(e) };
        }
      });
    },

    clear(id) {
      const targets = byId(running).filter((r) => id === undefined || r.info.id === id);
      for (const r of targets) r.run.session.clearMaps();
      return targets.map((r) => r.info);
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    closeAll() {
      void endpoint?.close();
      endpoint = undefined;
      const all = [...running.values()];
      running.clear();
      for (const r of all) {
        try {
          const end = r.run.stop();
          r.capture?.finish(end.capturesRefused ?? []);
        } catch {
          // closing is best effort on the way out; the fds die with the process anyway
        }
      }
    },
  };
}

function byId(running: Map<number, Running>): Running[] {
  return [...running.values()].sort((a, b) => a.info.id - b.info.id);
}
