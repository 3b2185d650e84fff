// One scrape: every source's maps read now, as metric families under the series limit,
// then nettrace's own metrics. Families of the same name from several sources (the
// REPL's programs, told apart by their `program` label) are written as one.
import { readFileSync } from 'node:fs';
import { exposition, type ExpositionFormat } from './exposition.js';
import { mapFamilies } from './map-metrics.js';
import type { MetricFamily } from './metric-family.js';
import type { MetricsSource } from './metrics-source.js';
import { SELF_FAMILY_NAMES, selfFamilies } from './self-metrics.js';
import { SeriesBudget } from './series-budget.js';

export class Scraper {
  private droppedTotal = 0n;

  constructor(
    private readonly maxSeries: number,
    /** Called once per scrape that dropped series, with how many. */
    private readonly onDropped: (dropped: number, max: number) => void = () => {},
  ) {}

  scrape(sources: readonly MetricsSource[], format: ExpositionFormat): string {
    const started = performance.now();
    const budget = new SeriesBudget(this.maxSeries);
    const families = new Map<string, MetricFamily>();
    for (const source of sources) {
      for (const reading of source.readMaps()) {
        for (const family of mapFamilies(reading, budget)) {
          if (SELF_FAMILY_NAMES.has(family.name)) family.name = family.name.replace(/^nettrace_/, 'nettrace_map_');
          if (source.label) for (const s of family.samples) s.labels.unshift(source.label);
          const same = families.get(family.name);
          if (!same) families.set(family.name, family);
          else if (same.type === family.type) same.samples.push(...family.samples);
          // A name two programs use for different kinds of metric: the first keeps it.
        }
      }
    }
    if (budget.dropped > 0) {
      this.droppedTotal += BigInt(budget.dropped);
      this.onDropped(budget.dropped, this.maxSeries);
    }
    const all = [...families.values()];
    all.push(...selfFamilies(sources, { seriesDroppedTotal: this.droppedTotal, scrapeSeconds: (performance.now() - started) / 1000, bpfStatsEnabled: bpfStatsEnabled() }));
    return exposition(all, format);
  }
}

function bpfStatsEnabled(): boolean {
  try {
    return readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}
