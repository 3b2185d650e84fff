// Reads every program's maps at a steady rate, and at once when `refreshKey` changes
// (a program attached, detached or cleared).
import { useEffect, useState } from 'react';
import type { Engine, ProgramReading } from './engine.js';

export interface LiveReadings {
  readings: ProgramReading[];
  /** How long the last read took, for the bench. */
  readMs: number;
}

export function useLiveReadings(engine: Engine, intervalMs: number, refreshKey: number, onRead?: (readMs: number) => void): LiveReadings {
  const [state, setState] = useState<LiveReadings>({ readings: [], readMs: 0 });
  useEffect(() => {
    const tick = () => {
      const t0 = performance.now();
      const readings = engine.read();
      const readMs = performance.now() - t0;
      onRead?.(readMs);
      setState({ readings, readMs });
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [engine, intervalMs, refreshKey, onRead]);
  return state;
}
