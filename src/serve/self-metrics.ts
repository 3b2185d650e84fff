// nettrace's own metrics, after the maps': what the run lost (events the ring buffer
// refused, updates refused by full maps), what the programs cost (runs and run time,
// counted by the kernel only while kernel.bpf_stats_enabled is 1, which this metric
// set says), what the cardinality guard dropped, and how long reading the maps took.
import type { MetricFamily, Sample } from './metric-family.js';
import type { MetricsSource } from './metrics-source.js';

export interface ScrapeFacts {
  /** Series the guard dropped, over every scrape so far. */
  seriesDroppedTotal: bigint;
  /** Reading and formatting the maps of this scrape. */
  scrapeSeconds: number;
  bpfStatsEnabled: boolean;
}

export function selfFamilies(sources: readonly MetricsSource[], facts: ScrapeFacts): MetricFamily[] {
  const own = (source: MetricsSource, labels: Sample['labels']): Sample['labels'] => (source.label ? [source.label, ...labels] : labels);
  const families: MetricFamily[] = [
    {
      name: 'nettrace_events_lost',
      type: 'counter',
      help: 'printf and print records the events ring buffer refused (it was full)',
      samples: sources.map((s) => ({ suffix: '_total', labels: own(s, []), value: s.lostEvents().toString() })),
    },
    {
      name: 'nettrace_map_updates_refused',
      type: 'counter',
      help: 'updates the kernel refused because the map was full (--map-entries)',
      samples: sources.flatMap((s) => {
        const refused = new Map(s.refusedUpdates().map((r) => [r.map.index, r.refused]));
        return s.maps.map((m) => ({ suffix: '_total', labels: own(s, [['map', m.displayName]]), value: (refused.get(m.index) ?? 0n).toString() }));
      }),
    },
    { name: 'nettrace_bpf_stats_enabled', type: 'gauge', help: 'whether the kernel counts program runs and run time (sysctl kernel.bpf_stats_enabled)', samples: [{ suffix: '', labels: [], value: facts.bpfStatsEnabled ? '1' : '0' }] },
  ];
  if (facts.bpfStatsEnabled) {
    const programs = sources.flatMap((s) => s.programs().map((p) => ({ labels: own(s, [['program', p.name], ['probe', p.probe]]), p })));
    families.push(
      { name: 'nettrace_program_runs', type: 'counter', help: 'times the kernel ran the program', samples: programs.map(({ labels, p }) => ({ suffix: '_total', labels, value: p.runCount.toString() })) },
      { name: 'nettrace_program_run_seconds', type: 'counter', help: 'time the kernel spent running the program', samples: programs.map(({ labels, p }) => ({ suffix: '_total', labels, value: seconds(Number(p.runTimeNs) / 1e9) })) },
    );
  }
  families.push(
    { name: 'nettrace_series_dropped', type: 'counter', help: 'series left out of scrapes because of --serve-max-series', samples: [{ suffix: '_total', labels: [], value: facts.seriesDroppedTotal.toString() }] },
    { name: 'nettrace_scrape_duration_seconds', type: 'gauge', help: 'time this scrape took to read and format the maps', samples: [{ suffix: '', labels: [], value: seconds(facts.scrapeSeconds) }] },
  );
  return families;
}

function seconds(s: number): string {
  return Number.isInteger(s) ? `${s}.0` : String(s);
}

/** The family names the maps may not take (a map with one of them is served as `nettrace_map_NAME`). */
export const SELF_FAMILY_NAMES = new Set([
  'nettrace_events_lost',
  'nettrace_map_updates_refused',
  'nettrace_bpf_stats_enabled',
  'nettrace_program_runs',
  'nettrace_program_run_seconds',
  'nettrace_series_dropped',
  'nettrace_scrape_duration_seconds',
]);
