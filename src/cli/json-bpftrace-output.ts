// `-f json --json-compat bpftrace`: the run's output as bpftrace 0.17's `-f json` lines
// (format/json-bpftrace.ts), for jq scripts written against bpftrace. Warnings stay on
// stderr as text, as bpftrace leaves them.
import { bpftraceAttachedJson, bpftraceHelperErrorJson, bpftraceLostJson, bpftraceMapJson, bpftracePrintfJson, bpftraceValueJson } from '../format/json-bpftrace.js';
import { END_OF_RUN_SEPARATOR } from '../format/map-print-text.js';
import type { MapReading } from '../model/map-reading.js';
import type { Output } from './output.js';

export function bpftraceJsonOutput(out: NodeJS.WritableStream, err: NodeJS.WritableStream, separator: NodeJS.WritableStream, byName: (r: MapReading[]) => MapReading[]): Output {
  const line = (text: string | undefined) => text !== undefined && out.write(text + '\n');
  return {
    attached: (probes) => line(bpftraceAttachedJson(probes)),
    event(event) {
      switch (event.kind) {
        case 'printf':
          // print(value) is a printf record inside; bpftrace calls it a value.
          if (event.value && event.args.length === 1) return void line(bpftraceValueJson(event.args[0].type, event.args[0].value));
          return void line(bpftracePrintfJson(event.text));
        case 'print':
          return void line(bpftraceMapJson(event.reading, event.top));
        case 'lost':
          return void line(bpftraceLostJson(event.count));
        case 'helper-error':
          return void line(bpftraceHelperErrorJson(event.site.helper, event.retcode, event.site.line, event.site.column));
      }
    },
    maps(readings) {
      // bpftrace writes these two newlines in JSON mode too (JSON readers skip them).
      separator.write(END_OF_RUN_SEPARATOR);
      for (const r of byName(readings)) line(bpftraceMapJson(r));
    },
    lostInAll: (total) => err.write(`warning: ${total} events lost in all\n`),
  };
}
