// The REPL: transcript above, live panels and printf events below it, the prompt last.
// Everything it does to the kernel goes through the Engine it is given.
import { Box, Text, useApp } from 'ink';
import { readFileSync, writeFileSync } from 'node:fs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { complete, type CompletionSources } from './completion.js';
import type { Engine } from './engine.js';
import { EventsPane } from './EventsPane.js';
import { execute, type ExecuteContext } from './execute.js';
import { LivePanels } from './LivePanels.js';
import { screenBudget } from './panel-layout.js';
import { Prompt, promptRows } from './Prompt.js';
import { Transcript } from './Transcript.js';
import type { Entry } from './TranscriptEntry.js';
import { useLiveReadings } from './use-live-readings.js';
import { usePrintfEvents } from './use-printf-events.js';
import { useProgramNotices } from './use-program-notices.js';
import { usePrompt } from './use-prompt.js';
import { useReflowReset } from './use-reflow-reset.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useTranscript } from './use-transcript.js';

export const DEFAULT_INTERVAL_MS = 1000;
export const QUIT_NOTICE = 'Press Ctrl-C again to quit (or Ctrl-D, or .quit).';

export interface AppProps {
  engine: Engine;
  completion: CompletionSources;
  /** Entries from earlier sessions, oldest first. */
  history?: readonly string[];
  saveHistory?(entry: string, all: readonly string[]): void;
  intervalMs?: number;
  /** Printed first in the transcript. */
  banner?: Entry[];
  /** How .load and .save touch files (tests pass fakes). */
  readFile?(path: string): string;
  writeFile?(path: string, text: string): void;
  /** Called after each map read, with its duration (for the bench). */
  onRead?(readMs: number): void;
}

export function App(props: AppProps) {
  const { engine } = props;
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const transcriptKey = useReflowReset();
  const { entries, print } = useTranscript(props.banner);
  const [intervalMs, setIntervalMs] = useState(props.intervalMs ?? DEFAULT_INTERVAL_MS);
  const [refreshKey, setRefreshKey] = useState(0);
  const [quitArmed, setQuitArmed] = useState(false);
  const [quitting, setQuitting] = useState(false);
  const { readings } = useLiveReadings(engine, intervalMs, refreshKey, props.onRead);
  const events = usePrintfEvents(engine);

  const quit = useCallback(() => setQuitting(true), []);
  const refresh = useCallback(() => setRefreshKey((k) => k + 1), []);
  useProgramNotices(engine, print, refresh);
  const context = useMemo<ExecuteContext>(
    () => ({
      engine,
      print,
      setIntervalMs,
      refresh,
      quit,
      readFile: props.readFile ?? ((path) => readFileSync(path, 'utf8')),
      writeFile: props.writeFile ?? ((path, text) => writeFileSync(path, text)),
    }),
    [engine, print, refresh, quit, props.readFile, props.writeFile],
  );

  const prompt = usePrompt(
    props.history ?? [],
    {
      onSubmit(text) {
        print({ kind: 'input', text });
        // The compiler may still be loading (it comes after the first prompt): entries wait
        // for it, in the order they were typed.
        const ready = engine.ready?.();
        if (ready === undefined) return execute(text, context);
        ready.then(
          () => execute(text, context),
          (e: unknown) => print({ kind: 'error', text: `the compiler could not be loaded: ${e instanceof Error ? e.message : String(e)}` }),
        );
      },
      onInterrupt(text) {
        if (text !== '') return print({ kind: 'input', text, interrupted: true });
        if (quitArmed) quit();
        else setQuitArmed(true);
      },
      onEof: quit,
      onOtherKey: () => setQuitArmed(false),
      complete: (text, cursor) => complete(text, cursor, props.completion),
      saveHistory: props.saveHistory,
    },
    !quitting,
  );

  // Quit only once the last frame (without live panels) is on screen, then detach.
  useEffect(() => {
    if (!quitting) return;
    engine.closeAll();
    exit();
  }, [quitting, engine, exit]);

  const notice = quitArmed ? QUIT_NOTICE : undefined;
  // A pane of lost events alone still takes its header row.
  const eventRows = Math.max(events.events.length, events.lost > 0n ? 1 : 0);
  const budget = screenBudget(rows, promptRows(prompt.text, columns, prompt.listed, notice), eventRows);
  const live = readings.filter((r) => r.maps.length > 0 || r.error !== undefined || (r.status?.lostEvents ?? 0n) > 0n);

  if (quitting) {
    const n = engine.programs().length;
    return (
      <Box flexDirection="column">
        <Transcript key={transcriptKey} entries={entries} width={columns} />
        <Text dimColor>{n > 0 ? `detaching ${n} program${n === 1 ? '' : 's'}; bye` : 'bye'}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={columns}>
      <Transcript key={transcriptKey} entries={entries} width={columns} />
      <LivePanels readings={live} intervalMs={intervalMs} width={columns} maxRows={budget.panels} />
      <EventsPane events={events.events} total={events.total} lost={events.lost} width={columns} maxRows={budget.events} showProgramIds={readings.length > 1} />
      <Prompt text={prompt.text} cursor={prompt.cursor} width={columns} listed={prompt.listed} notice={notice} />
    </Box>
  );
}
