// The cardinality guard: one scrape writes at most --serve-max-series series of the
// maps. A key's series (a histogram's buckets, _sum and _count) are taken whole or not at
// all, biggest keys first, so what is dropped is the tail; the drops are counted in
// nettrace_series_dropped_total and warned about, and memory stays bounded by the limit.

/** Enough for a few thousand keys with histograms; a map holds 10240 keys by default. */
export const DEFAULT_MAX_SERIES = 50_000;

export class SeriesBudget {
  private used = 0;
  /** Series this scrape left out. */
  dropped = 0;

  constructor(readonly max: number) {}

  /** Takes `n` series if they all fit; counts them as dropped otherwise. */
  take(n: number): boolean {
    if (this.used + n > this.max) {
      this.dropped += n;
      return false;
    }
    this.used += n;
    return true;
  }
}
