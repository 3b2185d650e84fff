// What `nettrace` prints while a program runs, in text (as bpftrace) or as JSON lines
// (docs/output.md). Data goes to stdout; in text mode warnings go to stderr, in JSON
// mode they are JSON lines too, so one stream carries everything a reader parses.
import { END_OF_RUN_SEPARATOR, mapPrintOutput } from '../format/map-print-text.js';
import { jsonLine, mapJson } from '../format/json.js';
import { bpftraceJsonOutput } from './json-bpftrace-output.js';
import { helperErrorText } from '../format/errno-text.js';
import { E } from '../diagnostics/catalogue.js';
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

/**
 * `separator` is where the blank lines before the end-of-run maps go: bpftrace writes them
 * to its standard output even when -o sends everything else to a file.
 */
export function createOutput(format: OutputFormat, out: NodeJS.WritableStream, err: NodeJS.WritableStream, separator: NodeJS.WritableStream = out, jsonCompat?: 'bpftrace'): Output {
  if (format === 'json' && jsonCompat === 'bpftrace') return bpftraceJsonOutput(out, err, separator, byName);
  return format === 'json' ? jsonOutput(out) : textOutput(out, err, separator);
}

function textOutput(out: NodeJS.WritableStream, err: NodeJS.WritableStream, separator: NodeJS.WritableStream): Output {
  return {
    attached: (n) => out.write(`Attaching ${n} probe${n === 1 ? '' : 's'}...\n`),
    event(event) {
      switch (event.kind) {
        case 'printf':
          return void out.write(event.text);
        case 'print':
          // As bpftrace 0.17 prints it: the block carries its own line ends (format/map-print-text.ts).
          return void out.write(mapPrintOutput(event.reading, event.top));
        case 'lost':
          return void err.write(`warning: ${event.count} events lost: the ring buffer was full (a bigger one: --ring-pages)\n`);
        case 'helper-error':
          return void err.write(helperErrorWarning(event));
      }
    },
    maps(readings) {
      // bpftrace writes two newlines to its standard output (not to its -o file), then
      // every map's block, empty maps included.
      separator.write(END_OF_RUN_SEPARATOR);
      for (const r of byName(readings)) out.write(mapPrintOutput(r));
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
        case 'helper-error':
          return line({ type: 'helper_error', helper: event.site.helper, ...(event.map && { map: event.map.displayName }), retcode: event.retcode, line: event.site.line, col: event.site.column });
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

/** -k, as bpftrace words it: `line:column: warning: Failed to map_update_elem: Argument list too long (-7)`, and what came of it. */
function helperErrorWarning(event: Extract<SessionEvent, { kind: 'helper-error' }>): string {
  const outcome = event.map ? `${event.map.displayName} was not updated` : 'the value reads as 0';
  return `${event.site.line}:${event.site.column}: warning[${E.HelperError.code}]: Failed to ${event.site.helper}: ${helperErrorText(event.retcode)}: ${outcome}\n`;
}
