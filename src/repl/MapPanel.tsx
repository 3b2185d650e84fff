// One map in the live area: a header saying what it is, and the body its aggregation's
// view draws within the rows it was given.
import { Box, Text } from 'ink';
import type { MapReading } from './labelled-reading.js';
import { viewFor } from './aggregation-views.js';
import { formatInterval, truncate } from './text-fit.js';

export interface MapPanelProps {
  reading: MapReading;
  /** `@[ip.src]`: what the program wrote; defaults to the map's name. */
  label?: string;
  /** Shown when several programs are attached, so maps can be told apart. */
  programId?: number;
  /** Updates the kernel refused because the map was full (NT0507). */
  refused?: bigint;
  intervalMs: number;
  width: number;
  /** Rows for the whole panel, header included. */
  maxRows: number;
}

export function MapPanel({ reading, label, programId, refused, intervalMs, width, maxRows }: MapPanelProps) {
  if (maxRows <= 0) return null;
  const { Body } = viewFor(reading.map.value);
  const title = `${programId !== undefined ? `[${programId}] ` : ''}${label ?? reading.map.displayName}`;
  const note = `  (live, ${formatInterval(intervalMs)})`;
  const full = refused ? `  full (${reading.map.maxEntries} keys): ${refused} update${refused === 1n ? '' : 's'} dropped` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{truncate(title, Math.max(1, width - note.length - full.length))}</Text>
        <Text dimColor>{note}</Text>
        <Text color="yellow">{full}</Text>
      </Text>
      <Body reading={reading} width={width} maxRows={maxRows - 1} />
    </Box>
  );
}

/** Rows the panel would like: its header and its body. */
export function panelRowsWanted(reading: MapReading): number {
  return 1 + viewFor(reading.map.value).rowsWanted(reading);
}
