// What programs report while they run or as they end, printed into the transcript: a
// lost interface or a full map as it happens, and every end (.detach, exit(), no probe
// left on an interface) with the program's maps and what it lost.
import { useEffect } from 'react';
import type { Engine } from './engine.js';
import { endEntries, warningEntry } from './program-text.js';
import type { Entry } from './TranscriptEntry.js';

export function useProgramNotices(engine: Engine, print: (...entries: Entry[]) => void, refresh: () => void): void {
  useEffect(
    () =>
      engine.onEvent((event) => {
        if (event.kind === 'warning') print(warningEntry(event.program, event.diagnostics));
        if (event.kind === 'ended') {
          print(...endEntries(event.program, event.end));
          refresh();
        }
      }),
    [engine, print, refresh],
  );
}
