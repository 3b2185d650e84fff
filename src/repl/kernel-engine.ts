// The Engine on the live kernel: every entered program is compiled with the same
// compileStages() as `nettrace -e`, started as its own Session and kept under an id.
// Every session is closed on detach and by closeAll(), which index.tsx also runs from
// the process's exit and signal handlers.
import type { CompiledProgram } from '../codegen/described.js';
import type { KernelEnv } from '../check/kernel-env.js';
import { compileStages } from '../compile.js';
import { eventText, Session } from '../runtime/session.js';
import type { Engine, PrintfEvent, ProgramInfo, ProgramReading } from './engine.js';
import { mapLabels } from './map-labels.js';

interface Running {
  info: ProgramInfo;
  session: Session;
  disconnect: () => void;
}

/** `unsafe`: programs with actions (drop, tx) may attach, as with `nettrace --unsafe`. */
export function createKernelEngine(env: KernelEnv, unsafe = false): Engine {
  const running = new Map<number, Running>();
  const listeners = new Set<(e: PrintfEvent) => void>();
  let nextId = 1;

  const emit = (event: PrintfEvent) => {
    for (const l of listeners) l(event);
  };

  function start(info: ProgramInfo, compiled: CompiledProgram): Running {
    const session = Session.start(compiled, { allowTrafficChanges: unsafe });
    // One listener for everything: events that came before it (BEGIN's) go to the first.
    const disconnect = session.onEvent((event) => {
      // exit() ends a program in the REPL as it ends `nettrace -e`: detach it. Deferred,
      // so the session is not closed from inside its own event delivery.
      if (event.kind === 'exit') queueMicrotask(() => exited(info.id, session));
      const text = eventText(event);
      if (text !== undefined) emit({ programId: info.id, text });
    });
    info.probes = session.probes.map((p) => ({ text: p.program.probe.text, detail: p.detail }));
    return { info, session, disconnect };
  }

  function exited(id: number, session: Session): void {
    const r = running.get(id);
    if (!r || r.session !== session) return;
    running.delete(id);
    stop(r);
    emit({ programId: id, text: `[${id}] called exit(): detached` });
  }

  function stop(r: Running): void {
    // Detach and run END first, so END's printf lines still reach the events pane.
    try {
      r.session.finish();
    } finally {
      r.disconnect();
      r.session.close();
    }
  }

  return {
    attach(source, origin) {
      const stages = compileStages(source, env);
      const info: ProgramInfo = { id: nextId, source, origin, probes: [], mapLabels: mapLabels(stages.ast, source) };
      const r = start(info, stages.compiled);
      nextId++;
      running.set(info.id, r);
      return info;
    },

    detach(id) {
      const r = running.get(id);
      if (!r) return undefined;
      running.delete(id);
      stop(r);
      return r.info;
    },

    programs: () => byId(running).map((r) => r.info),

    read() {
      return byId(running).map((r): ProgramReading => {
        try {
          return { program: r.info, maps: r.session.readMaps() };
        } catch (e) {
          return { program: r.info, maps: [], error: e instanceof Error ? e.message : String(e) };
        }
      });
    },

    clear(id) {
      const targets = byId(running).filter((r) => id === undefined || r.info.id === id);
      for (const r of targets) r.session.clearMaps();
      return targets.map((r) => r.info);
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    closeAll() {
      for (const r of running.values()) {
        try {
          stop(r);
        } catch {
          // closing is best effort on the way out; the fds die with the process anyway
        }
      }
      running.clear();
    },
  };
}

function byId(running: Map<number, Running>): Running[] {
  return [...running.values()].sort((a, b) => a.info.id - b.info.id);
}
