// Metrics as data, between the maps and the text: a family (one name, one type, one
// HELP) and its samples. exposition.ts writes them in either format.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface Sample {
  /** After the family's name: '' (gauges), '_total', '_bucket', '_sum', '_count'. */
  suffix: string;
  labels: [name: string, value: string][];
  /** A number as Prometheus reads it: digits, or a float's text. */
  value: string;
}

export interface MetricFamily {
  /** Without `_total`: counters get the suffix on their samples. */
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}
