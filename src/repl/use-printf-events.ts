// printf events of every program, kept for the events pane, and how many each program
// lost. Events can come thousands a second: they are buffered and handed to React at
// most every FLUSH_MS.
import { useEffect, useRef, useState } from 'react';
import type { Engine, PrintfEvent } from './engine.js';

export const KEPT_EVENTS = 500;
const FLUSH_MS = 100;

export interface EventLog {
  events: readonly PrintfEvent[];
  total: number;
  /** Events the ring buffers refused, all programs together. */
  lost: bigint;
}

export function usePrintfEvents(engine: Engine): EventLog {
  const [log, setLog] = useState<EventLog>({ events: [], total: 0, lost: 0n });
  const pending = useRef<PrintfEvent[]>([]);
  const seen = useRef(0);
  const lost = useRef(new Map<number, bigint>());
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const fresh = pending.current;
      pending.current = [];
      const total = seen.current;
      const lostInAll = [...lost.current.values()].reduce((a, b) => a + b, 0n);
      setLog((l) => ({ events: [...l.events, ...fresh].slice(-KEPT_EVENTS), total, lost: lostInAll }));
    };
    const unsubscribe = engine.onEvent((e) => {
      if (e.kind === 'lost') lost.current.set(e.programId, e.total);
      else if (e.kind === 'printf') {
        seen.current++;
        pending.current.push({ programId: e.programId, text: e.text });
        if (pending.current.length > KEPT_EVENTS) pending.current.splice(0, pending.current.length - KEPT_EVENTS);
      } else return;
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [engine]);
  return log;
}
