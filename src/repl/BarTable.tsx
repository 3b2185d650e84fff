// A map as a table: biggest values first, one row per key, with bars scaled to the
// biggest value. The rows that do not fit are counted in a last line.
import { Box, Text } from 'ink';
import type { MapEntry, MapReading } from './labelled-reading.js';
import { bar } from './bar.js';
import { truncate } from './text-fit.js';
import { compareEntries, topN } from './top-n.js';

export interface BarTableProps {
  reading: MapReading;
  /** Terminal columns for the table. */
  width: number;
  /** Rows for the table, the "more" line included. */
  maxRows: number;
  /** Draw bars (counts and sums); off for values where length means nothing. */
  bars?: boolean;
}

const INDENT = 2;
/** Longer bars say nothing more and make wide terminals hard to read. */
export const MAX_BAR_WIDTH = 60;

export function BarTable({ reading, width, maxRows, bars = true }: BarTableProps) {
  const { entries } = reading;
  if (maxRows <= 0) return null;
  if (entries.length === 0) {
    return <Text dimColor>{' '.repeat(INDENT)}(no data yet)</Text>;
  }
  const fits = entries.length <= maxRows;
  const shown = topN(entries, fits ? maxRows : maxRows - 1, compareEntries);
  const rows = tableRows(shown, width, bars);
  return (
    <Box flexDirection="column">
      {rows.map((row) => (
        <Text key={row.key} wrap="truncate-end">
          {row.text}
          <Text color="cyan">{row.bar}</Text>
        </Text>
      ))}
      {!fits && (
        <Text dimColor wrap="truncate-end">
          {' '.repeat(INDENT)}… {entries.length - shown.length} more ({entries.length} keys)
        </Text>
      )}
    </Box>
  );
}

interface Row {
  key: string;
  text: string;
  bar: string;
}

/** Columns: key, value (right-aligned), bar in what is left. Exported for tests and the bench. */
export function tableRows(shown: MapEntry[], width: number, bars: boolean): Row[] {
  const keys = shown.map((e) => e.keyText.replace(/^\[(.*)\]$/, '$1'));
  const values = shown.map((e) => e.value.toString());
  const valueWidth = Math.max(...values.map((v) => v.length));
  const fixed = INDENT + 2 + valueWidth + 1;
  const keyWidth = Math.max(0, Math.min(Math.max(...keys.map((k) => k.length)), Math.max(8, Math.floor(width * 0.45)), width - fixed));
  const barWidth = bars ? Math.min(MAX_BAR_WIDTH, width - fixed - keyWidth) : 0;
  const max = shown.reduce((m, e) => (e.value > m ? e.value : m), 0n);
  return shown.map((e, i) => ({
    key: e.keyText,
    // The last guard: a terminal too narrow for key and value still gets no wrapped line.
    text: truncate(`${' '.repeat(INDENT)}${truncate(keys[i]!, keyWidth).padEnd(keyWidth)}  ${values[i]!.padStart(valueWidth)} `, width),
    bar: barWidth >= 4 ? bar(Number(e.value), Number(max), barWidth) : '',
  }));
}
