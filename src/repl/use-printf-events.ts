// printf events of every program, kept for the events pane. Events can come thousands a
// second: they are buffered and handed to React at most every FLUSH_MS.
import { useEffect, useRef, useState } from 'react';
import type { Engine, PrintfEvent } from './engine.js';

export const KEPT_EVENTS = 500;
const FLUSH_MS = 100;

export interface EventLog {
  events: readonly PrintfEvent[];
  total: number;
}

export function usePrintfEvents(engine: Engine): EventLog {
  const [log, setLog] = useState<EventLog>({ events: [], total: 0 });
  const pending = useRef<PrintfEvent[]>([]);
  const seen = useRef(0);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const fresh = pending.current;
      pending.current = [];
      const total = seen.current;
      setLog((l) => ({ events: [...l.events, ...fresh].slice(-KEPT_EVENTS), total }));
    };
    const unsubscribe = engine.onEvent((e) => {
      seen.current++;
      pending.current.push(e);
      if (pending.current.length > KEPT_EVENTS) pending.current.splice(0, pending.current.length - KEPT_EVENTS);
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [engine]);
  return log;
}
