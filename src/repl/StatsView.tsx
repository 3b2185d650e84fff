// stats() and avg() maps as numbers: count, average and total per key.
//
// The runtime gives avg() and stats() entries their `stats` (count, sum, and min/max for
// stats(); src/runtime/read-maps.ts). A reading without them falls back to the plain
// table of values.
import { Box, Text } from 'ink';
import type { MapEntry, MapReading } from './labelled-reading.js';
import { BarTable } from './BarTable.js';
import { truncate } from './text-fit.js';
import { compareEntries, topN } from './top-n.js';

export interface StatsValue {
  count: bigint;
  sum: bigint;
  min?: bigint;
  max?: bigint;
}

type EntryWithStats = MapEntry & { stats?: StatsValue };

export function statsOf(entry: MapEntry): StatsValue | undefined {
  return (entry as EntryWithStats).stats;
}

export interface StatsViewProps {
  reading: MapReading;
  width: number;
  maxRows: number;
}

export function StatsView({ reading, width, maxRows }: StatsViewProps) {
  if (!reading.entries.some((e) => statsOf(e))) return <BarTable reading={reading} width={width} maxRows={maxRows} bars={false} />;
  if (maxRows <= 0) return null;
  const fits = reading.entries.length <= maxRows;
  const shown = topN(reading.entries, fits ? maxRows : maxRows - 1, compareEntries);
  const keys = shown.map((e) => e.keyText.replace(/^\[(.*)\]$/, '$1'));
  const keyWidth = Math.min(Math.max(0, ...keys.map((k) => k.length)), Math.floor(width * 0.45));
  return (
    <Box flexDirection="column">
      {shown.map((e, i) => {
        const s = statsOf(e) ?? { count: 0n, sum: 0n };
        const avg = s.count === 0n ? 0n : s.sum / s.count;
        return (
          <Text key={e.keyText} wrap="truncate-end">
            {`  ${truncate(keys[i]!, keyWidth).padEnd(keyWidth)}  count ${s.count}  avg ${avg}  total ${s.sum}`}
          </Text>
        );
      })}
      {!fits && <Text dimColor>  … {reading.entries.length - shown.length} more ({reading.entries.length} keys)</Text>}
    </Box>
  );
}
