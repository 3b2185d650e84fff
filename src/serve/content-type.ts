// Which format a scrape gets, from its Accept header: OpenMetrics when the scraper lists
// `application/openmetrics-text` with a weight above zero (Prometheus does, first), the
// 0.0.4 text format otherwise, as client libraries do.
import type { ExpositionFormat } from './exposition.js';

export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'application/openmetrics-text') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return 'openmetrics';
  }
  return 'text';
}
