// The transcript's entries, each numbered once so <Static> prints it once.
import { useCallback, useRef, useState } from 'react';
import type { Entry, NumberedEntry } from './TranscriptEntry.js';

export function useTranscript(initial: Entry[] = []): { entries: NumberedEntry[]; print: (...entries: Entry[]) => void } {
  const next = useRef(initial.length);
  const [entries, setEntries] = useState<NumberedEntry[]>(() => initial.map((e, id) => ({ ...e, id })));
  const print = useCallback((...fresh: Entry[]) => {
    const numbered = fresh.map((e) => ({ ...e, id: next.current++ }));
    setEntries((all) => [...all, ...numbered]);
  }, []);
  return { entries, print };
}
