// What a scrape reads: one running program's maps and counters. The CLI serves one, the
// REPL one per running program (run-source.ts builds them from a ProgramRun).
import type { MapDescription } from '../model/compiled-program.js';
import type { MapReading } from '../model/map-reading.js';

export interface ProgramStats {
  /** The BPF program's name, unique in its program: `xdp_eth0`. */
  name: string;
  /** Its probe as written. */
  probe: string;
  /** Runs and total run time; the kernel counts them only while kernel.bpf_stats_enabled is 1. */
  runCount: bigint;
  runTimeNs: bigint;
}

export interface MetricsSource {
  /** A label every series of this source carries (the REPL's program number); none on the command line. */
  label?: [name: string, value: string];
  maps: readonly MapDescription[];
  /** Every map, read now (a batch lookup per map). */
  readMaps(): MapReading[];
  /** Records the events ring buffer refused, since the start. */
  lostEvents(): bigint;
  /** Updates the kernel refused per map because the map was full, since the start; maps without any may be left out. */
  refusedUpdates(): { map: MapDescription; refused: bigint }[];
  programs(): ProgramStats[];
}
