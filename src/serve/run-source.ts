// A running program (the run policy's ProgramRun) as a metrics source: its session's
// maps, lost events and full-map counts, and each BPF program's run statistics.
import type { ProgramRun } from '../runtime/run/program-run.js';
import * as native from '../native/bpf.js';
import type { MetricsSource } from './metrics-source.js';

export function runSource(run: ProgramRun, label?: [string, string]): MetricsSource {
  const { session } = run;
  return {
    label,
    maps: session.compiled.maps,
    readMaps: () => session.readMaps(),
    lostEvents: () => session.lostEvents(),
    refusedUpdates: () => session.refusedUpdates(),
    programs: () =>
      run.probes.map((p) => {
        const info = native.progInfo(p.progFd);
        return { name: p.program.functionName, probe: p.program.probe.text, runCount: info.runCnt, runTimeNs: info.runTimeNs };
      }),
  };
}
