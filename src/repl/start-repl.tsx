// Renders the REPL and keeps the kernel tidy around it. Loaded by index.tsx only after
// React's production build has been chosen.
//
//   await runRepl({ historyFile })   // resolves when the user quits (index.tsx: startRepl)
//
// Every program attached from the REPL is closed on the way out, however the way out
// goes: .quit, Ctrl-D, Ctrl-C twice, SIGTERM, SIGHUP, SIGINT from outside, an exception,
// or process.exit() elsewhere (the 'exit' handler). SIGKILL is covered by the kernel
// (links die with the process's fds) and, for clsact filters on kernels without tcx, by
// the next nettrace start, this one included (runtime/attach/tc-classic.ts).
import { render, type Instance } from 'ink';
import { liveEnv } from '../runtime/live-env.js';
import { missingCapabilities } from '../runtime/privileges.js';
import { cleanupOrphans } from '../runtime/attach/tc-classic.js';
import { VERSION } from '../version.js';
import { App, type AppProps } from './App.js';
import { liveCompletionSources, loadCompletionParser } from './completion-sources.js';
import type { Engine } from './engine.js';
import { appendHistory, defaultHistoryFile, loadHistory } from './history.js';
import { createKernelEngine, type KernelEngineOptions } from './kernel-engine.js';
import type { Entry } from './TranscriptEntry.js';

export interface ReplOptions {
  /** Where history is kept; default ~/.nettrace_history. */
  historyFile?: string;
  /** Live panel redraw interval; default 1000 ms. */
  intervalMs?: number;
  /** `nettrace --unsafe`: let programs with actions (drop, tx) attach. */
  unsafe?: boolean;
  /** `nettrace --map-entries N`: how many keys every map holds. */
  mapEntries?: number;
  /** `nettrace --ring-pages N`, in bytes: each program's events ring buffer. */
  ringBufferBytes?: number;
  /** --web-config, --serve-insecure, --serve-max-series: for `.serve`. */
  serve?: KernelEngineOptions['serve'];
  /** For tests and the bench: the engine to drive instead of the live kernel. */
  engine?: Engine;
  /** For the bench: called with each map read's duration and each frame's render time. */
  onRead?: AppProps['onRead'];
  onRender?: (metrics: { renderTime: number }) => void;
}

const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

export async function runRepl(options: ReplOptions = {}): Promise<void> {
  const engine = options.engine ?? createKernelEngine(liveEnv, options);
  const historyFile = options.historyFile ?? defaultHistoryFile();
  let instance: Instance | undefined;

  const closeAll = () => {
    try {
      engine.closeAll();
    } catch {
      // best effort: the fds close with the process in any case
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    closeAll();
    try {
      instance?.unmount();
    } catch {
      // the terminal may be gone (SIGHUP)
    }
    // The REPL is over; if something still holds the event loop, do not hang around.
    setTimeout(() => process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15)), 1000).unref();
  };
  process.on('exit', closeAll);
  for (const s of SIGNALS) process.on(s, onSignal);

  // The compiler and the parser (chevrotain, llvm-bindings, LLVM: most of the start-up
  // time) load once the first frame, with its prompt, is on screen.
  let warmedUp = false;
  const onRender: NonNullable<ReplOptions['onRender']> = (metrics) => {
    options.onRender?.(metrics);
    if (warmedUp) return;
    warmedUp = true;
    setImmediate(() => void Promise.all([engine.ready?.(), loadCompletionParser()]).catch(() => {}));
  };

  try {
    instance = render(
      <App
        engine={engine}
        completion={liveCompletionSources(liveEnv)}
        history={loadHistory(historyFile)}
        saveHistory={(entry, all) => appendHistory(historyFile, entry, all)}
        intervalMs={options.intervalMs}
        banner={banner()}
        onRead={options.onRead}
      />,
      { exitOnCtrlC: false, patchConsole: true, onRender },
    );
    await instance.waitUntilExit();
  } finally {
    closeAll();
    process.off('exit', closeAll);
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

function banner(): Entry[] {
  const entries: Entry[] = [
    { kind: 'output', text: `nettrace ${VERSION}: type a probe program to attach it, .help for commands, Ctrl-D to quit.` },
  ];
  const missing = safeMissingCapabilities();
  if (missing.length > 0) {
    entries.push({ kind: 'error', text: `nettrace lacks ${missing.join(', ')}: programs will not load or attach (run it as root).` });
  } else {
    for (const line of safeCleanupOrphans()) entries.push({ kind: 'output', text: `nettrace: ${line}` });
  }
  return entries;
}

/** What killed runs left attached, removed before anything new attaches. */
function safeCleanupOrphans(): string[] {
  try {
    return cleanupOrphans();
  } catch (e) {
    return [`could not remove what earlier runs left attached: ${e instanceof Error ? e.message : String(e)}`];
  }
}

function safeMissingCapabilities(): string[] {
  try {
    return missingCapabilities();
  } catch {
    return [];
  }
}
