// hist() and lhist() maps as bucket bars, one histogram per key.
//
// The runtime gives hist() and lhist() entries their buckets (MapEntry.buckets, with
// bpftrace's labels; src/runtime/read-maps.ts). A reading without them (a fake engine,
// an older runtime) falls back to the plain table so nothing is hidden.
import { Box, Text } from 'ink';
import type { MapEntry, MapReading } from './labelled-reading.js';
import { bar } from './bar.js';
import { BarTable, MAX_BAR_WIDTH } from './BarTable.js';
import { truncate } from './text-fit.js';

export interface HistBucket {
  /** Inclusive lower bound; undefined for the open-ended first bucket (negative values). */
  lo?: bigint;
  /** Exclusive upper bound; undefined for the open-ended last bucket. */
  hi?: bigint;
  count: bigint;
  /** The runtime's bpftrace-style label (`[2, 4)`, `[0]`); derived from lo/hi when absent. */
  label?: string;
}

type EntryWithBuckets = MapEntry & { buckets?: HistBucket[] };

export function bucketsOf(entry: MapEntry): HistBucket[] | undefined {
  return (entry as EntryWithBuckets).buckets;
}

export function histogramRowsWanted(reading: MapReading): number {
  if (!reading.entries.some((e) => bucketsOf(e))) return Math.max(1, reading.entries.length);
  return reading.entries.reduce((n, e) => n + nonEmpty(bucketsOf(e) ?? []).length + (reading.entries.length > 1 ? 1 : 0), 0);
}

export interface HistogramViewProps {
  reading: MapReading;
  width: number;
  maxRows: number;
}

export function HistogramView({ reading, width, maxRows }: HistogramViewProps) {
  if (!reading.entries.some((e) => bucketsOf(e))) return <BarTable reading={reading} width={width} maxRows={maxRows} />;
  const lines: { key: string; label?: string; range?: string; count?: string; bar?: string }[] = [];
  const keyed = reading.entries.length > 1 || reading.entries[0]?.keyText !== '';
  for (const entry of reading.entries) {
    const buckets = nonEmpty(bucketsOf(entry) ?? []);
    if (keyed) lines.push({ key: `k${entry.keyText}`, label: entry.keyText });
    const ranges = buckets.map(rangeText);
    const rangeWidth = Math.max(0, ...ranges.map((r) => r.length));
    const counts = buckets.map((b) => b.count.toString());
    const countWidth = Math.max(0, ...counts.map((c) => c.length));
    const max = buckets.reduce((m, b) => (b.count > m ? b.count : m), 0n);
    const barWidth = Math.max(0, Math.min(MAX_BAR_WIDTH, width - 2 - rangeWidth - 1 - countWidth - 2));
    buckets.forEach((b, i) =>
      lines.push({
        key: `${entry.keyText}/${ranges[i]}`,
        range: `  ${ranges[i]!.padStart(rangeWidth)} ${counts[i]!.padStart(countWidth)} `,
        bar: bar(Number(b.count), Number(max), barWidth),
      }),
    );
  }
  const fits = lines.length <= maxRows;
  const shown = fits ? lines : lines.slice(0, Math.max(0, maxRows - 1));
  return (
    <Box flexDirection="column">
      {shown.map((l) =>
        l.label !== undefined ? (
          <Text key={l.key} bold wrap="truncate-end">
            {truncate(l.label, width)}
          </Text>
        ) : (
          <Text key={l.key} wrap="truncate-end">
            {l.range}
            <Text color="cyan">{l.bar}</Text>
          </Text>
        ),
      )}
      {!fits && maxRows > 0 && <Text dimColor>  … {lines.length - shown.length} more rows</Text>}
    </Box>
  );
}

/** Leading and trailing empty buckets say nothing; inner ones show the gaps. */
function nonEmpty(buckets: HistBucket[]): HistBucket[] {
  const first = buckets.findIndex((b) => b.count > 0n);
  if (first === -1) return [];
  let last = buckets.length - 1;
  while (buckets[last]!.count === 0n) last--;
  return buckets.slice(first, last + 1);
}

function rangeText(b: HistBucket): string {
  if (b.label !== undefined) return b.label;
  if (b.lo === undefined) return `(..., ${human(b.hi ?? 0n)})`;
  return b.hi === undefined ? `[${human(b.lo)}, ...)` : `[${human(b.lo)}, ${human(b.hi)})`;
}

/** 1024 -> 1K, as bpftrace labels power-of-two buckets. */
function human(n: bigint): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let i = 0;
  while (n !== 0n && n % 1024n === 0n && i < units.length - 1) {
    n /= 1024n;
    i++;
  }
  return `${n}${units[i]}`;
}
