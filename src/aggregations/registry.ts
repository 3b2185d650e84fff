// Every aggregation nettrace knows, by the name it is called with.
import type { Aggregation } from './aggregation.js';
import { avgAggregation } from './avg.js';
import { countAggregation } from './count.js';
import { maxAggregation, minAggregation } from './extremes.js';
import { histAggregation } from './hist.js';
import { lhistAggregation } from './lhist.js';
import { statsAggregation } from './stats.js';
import { sumAggregation } from './sum.js';

export const AGGREGATION_RECORDS: Aggregation[] = [
  countAggregation,
  sumAggregation,
  avgAggregation,
  minAggregation,
  maxAggregation,
  statsAggregation,
  histAggregation,
  lhistAggregation,
];

export function findAggregation(name: string): Aggregation | undefined {
  return AGGREGATION_RECORDS.find((a) => a.name === name);
}

export function aggregation(name: string): Aggregation {
  return findAggregation(name)!;
}
