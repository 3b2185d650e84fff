// A map as bpftrace 0.17 prints it, on print(@m) and at the end of a run, byte for byte
// (docs/output.md, "Layout"). Each map is a block that carries its own line ends:
//   - count, sum, min, max and plain values: one line per key, then nothing more;
//   - avg and stats: one line per key, then one blank line;
//   - hist and lhist: per key `@h[k]: ` (trailing space), its bucket lines, a blank line.
// A map with no entries still prints its block's ends: an empty line (two for avg and
// stats), except a keyless count(), which prints `@c: 0` (bpftrace keeps its zero).
// The REPL and the session's print text keep src/format/maps-text.ts's layout.
import { entryCount, type MapReading } from '../model/map-reading.js';
import { entryTexts, histogramMapBytes } from './batch-text.js';

export function mapPrintText(reading: MapReading, top?: number): string {
  const out = mapPrintOutput(reading, top);
  return typeof out === 'string' ? out : out.toString('utf8');
}

/**
 * mapPrintText for a writer: a hist() or lhist() map read in one batch comes as the UTF-8
 * bytes batch-text.ts wrote (a 63,000-key map is 6 MB of text: decoding it to a string
 * and encoding it back for the write cost more than writing it).
 */
export function mapPrintOutput(reading: MapReading, top?: number): string | Buffer {
  const { map } = reading;
  const name = map.displayName;
  const agg = map.value.kind === 'agg' ? map.value : undefined;
  if (entryCount(reading) === 0 && map.key.fields.length === 0 && agg?.agg === 'count') return `${name}: 0\n`;
  // Straight from the kernel's bytes when the reading has them: a big map prints without
  // decoding its entries (format/batch-text.ts; the histogram layout below is repeated there).
  if (agg && (agg.agg === 'hist' || agg.agg === 'lhist')) {
    const fromBatch = histogramMapBytes(reading, top);
    if (fromBatch !== undefined) return fromBatch;
  }
  const texts = entryTexts(reading, top);
  if (agg && (agg.agg === 'hist' || agg.agg === 'lhist')) {
    // `value` is the bucket lines, '' when every bucket is empty.
    const blocks = texts.map(({ key, value }) => `${name}${key}: \n${value ? value + '\n' : ''}`);
    return blocks.join('\n') + '\n';
  }
  const lines = agg ? texts.map(({ key, value }) => `${name}${key}${value}`) : texts.map(({ key, value }) => `${name}${key}: ${value}`);
  const end = agg && (agg.agg === 'avg' || agg.agg === 'stats') ? '\n\n' : '\n';
  return lines.join('\n') + end;
}

/** What bpftrace writes to its standard output before the maps at the end of a run. */
export const END_OF_RUN_SEPARATOR = '\n\n';
