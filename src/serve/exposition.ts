// Metric families as text, in the format the scraper asked for (content-type.ts): the
// Prometheus text format 0.0.4, or OpenMetrics 1.0.0. They differ where counters are
// named (0.0.4 names the family after its `_total` sample, OpenMetrics without it), in
// escaping HELP, and in OpenMetrics' closing `# EOF`.
import type { MetricFamily, Sample } from './metric-family.js';

export type ExpositionFormat = 'text' | 'openmetrics';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

export function exposition(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const lines: string[] = [];
  for (const family of families) {
    const named = format === 'text' && family.type === 'counter' ? `${family.name}_total` : family.name;
    lines.push(`# HELP ${named} ${escapeHelp(family.help, format)}`);
    lines.push(`# TYPE ${named} ${family.type}`);
    for (const sample of family.samples) lines.push(sampleLine(family.name, sample));
  }
  if (format === 'openmetrics') lines.push('# EOF');
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function sampleLine(name: string, s: Sample): string {
  const labels = s.labels.length ? `{${s.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
  return `${name}${s.suffix}${labels} ${s.value}`;
}

/** Both formats: backslash, double quote and newline escaped. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** 0.0.4 escapes backslash and newline in HELP; OpenMetrics also the double quote. */
export function escapeHelp(text: string, format: ExpositionFormat): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
}
