// Which view draws which kind of map. Each aggregation names its view in its record
// (Aggregation.replView); plain maps are rows of numbers.
import { createElement, type FC } from 'react';
import type { ReplView } from '../aggregations/aggregation.js';
import { aggregation } from '../aggregations/registry.js';
import type { MapValue } from '../model/checked.js';
import type { MapReading } from './labelled-reading.js';
import { BarTable } from './BarTable.js';
import { HistogramView, histogramRowsWanted } from './HistogramView.js';
import { StatsView } from './StatsView.js';

export interface BodyProps {
  reading: MapReading;
  width: number;
  maxRows: number;
}

export interface AggregationView {
  /** Rows the body would like, before the panel's budget cuts it. */
  rowsWanted(reading: MapReading): number;
  Body: FC<BodyProps>;
}

const entryRows = (r: MapReading) => Math.max(1, r.entries.length);

const VIEWS: Record<ReplView, AggregationView> = {
  bars: { rowsWanted: entryRows, Body: (p) => createElement(BarTable, { ...p, bars: true }) },
  numbers: { rowsWanted: entryRows, Body: (p) => createElement(BarTable, { ...p, bars: false }) },
  stats: { rowsWanted: entryRows, Body: StatsView },
  histogram: { rowsWanted: histogramRowsWanted, Body: HistogramView },
};

export function viewFor(value: MapValue): AggregationView {
  return VIEWS[value.kind === 'scalar' ? 'numbers' : aggregation(value.agg).replView];
}
