// What `nettrace` prints while a program runs, in text (as bpftrace) or as JSON lines
// (docs/output.md). Data goes to stdout; in text mode warnings go to stderr, in JSON
// mode they are JSON lines too, so one stream carries everything a reader parses.
import { formatMapText } from '../format/maps-text.js';
import { jsonLine, mapJson } from '../format/json.js';
import type { SessionEvent } from '../runtime/events.js';
import type { MapReading } from '../model/map-reading.js';
import type { OutputFormat } from './args.js';

export interface Output {
  attached(probes: number): void;
  event(event: Exclude<SessionEvent, { kind: 'exit' }>): void;
  /** The maps at exit, every one of them. */
  maps(readings: MapReading[]): void;
  /** At exit, when records were lost: how many in all. */
  lostInAll(total: bigint): void;
}

export function createOutput(format: OutputFormat, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Output {
  return format === 'json' ? jsonOutput(out) : textOutput(out, err);
}

function textOutput(out: NodeJS.WritableStream, err: NodeJS.WritableStream): Output {
  return {
    attached: (n) => out.write(`Attaching ${n} probe${n === 1 ? '' : 's'}...\n`),
    event(event) {
      switch (event.kind) {
        case 'printf':
          return void out.write(event.text);
        case 'print': {
          // As bpftrace 0.17: a histogram is followed by a blank line, other maps are not.
          const text = formatMapText(event.reading, { top: event.top });
          const value = event.reading.map.value;
          const histogram = value.kind === 'agg' && (value.agg === 'hist' || value.agg === 'lhist');
          return void out.write(text ? `${text}\n${histogram ? '\n' : ''}` : '');
        }
        case 'lost':
          return void err.write(`warning: ${event.count} events lost: the ring buffer was full (a bigger one: --ring-pages)\n`);
      }
    },
    maps(readings) {
      const texts = byName(readings).map((r) => formatMapText(r)).filter((t) => t.length > 0);
      out.write(texts.length ? `\n${texts.join('\n\n')}\n` : '\n');
    },
    lostInAll: (total) => err.write(`warning: ${total} events lost in all\n`),
  };
}

function jsonOutput(out: NodeJS.WritableStream): Output {
  const line = (value: unknown) => out.write(jsonLine(value) + '\n');
  return {
    attached: (probes) => line({ type: 'attached', probes }),
    event(event) {
      switch (event.kind) {
        case 'printf':
          return line({ type: 'printf', probe: event.probe, text: event.text });
        case 'print':
          return line({ ...mapJson(event.reading, event.top), ...(event.top !== undefined && { top: event.top }) });
        case 'lost':
          return line({ type: 'lost', count: event.count, total: event.total });
      }
    },
    maps: (readings) => byName(readings).forEach((r) => line(mapJson(r))),
    lostInAll: (total) => line({ type: 'lost_total', total }),
  };
}

/** At exit maps print in name order, as bpftrace prints them. */
function byName(readings: MapReading[]): MapReading[] {
  return [...readings].sort((a, b) => (a.map.displayName < b.map.displayName ? -1 : a.map.displayName > b.map.displayName ? 1 : 0));
}
