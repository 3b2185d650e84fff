// Which view draws which kind of map. A new aggregation is one new entry here.
import { createElement, type FC } from 'react';
import type { MapValue } from '../check/checked.js';
import type { MapReading } from '../runtime/read-maps.js';
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

const table: AggregationView = { rowsWanted: entryRows, Body: (p) => createElement(BarTable, { ...p, bars: true }) };
const plainTable: AggregationView = { rowsWanted: entryRows, Body: (p) => createElement(BarTable, { ...p, bars: false }) };
const histogram: AggregationView = { rowsWanted: histogramRowsWanted, Body: HistogramView };
const stats: AggregationView = { rowsWanted: entryRows, Body: StatsView };

export function viewFor(value: MapValue): AggregationView {
  if (value.kind === 'scalar') return plainTable;
  switch (value.agg) {
    case 'count':
    case 'sum':
    case 'max':
      return table;
    case 'min':
      return plainTable;
    case 'avg':
    case 'stats':
      return stats;
    case 'hist':
    case 'lhist':
      return histogram;
  }
}
