// interval:s:N, interval:ms:N (and interval:us:N, and bpftrace's interval:Ns / Nms):
// a CPU-clock perf event on one CPU that fires every N units and runs the program.
import { E } from '../diagnostics/catalogue.js';
import { error } from '../diagnostics/diagnostic.js';
import type { ProbeKind } from './kind.js';
import { BPF_PROG_TYPE } from '../model/uapi.js';

const UNIT_NS: Record<string, number> = { s: 1e9, ms: 1e6, us: 1e3, hz: 0 };

/** The kernel's perf timers do not go usefully below this. */
const MIN_PERIOD_NS = 100_000;

export const intervalProbe: ProbeKind = {
  name: 'interval',
  aliases: ['i'],
  doc: 'interval:s:N, interval:ms:N — every N seconds / milliseconds, on one CPU',
  resolve(spec) {
    const parsed = parse(spec.parts);
    const example = 'for example: interval:s:1 or interval:ms:100';
    if (!parsed) return error(E.BadProbeSpec, `'${spec.text}' is not an interval: write interval:s:N or interval:ms:N`, spec.span, example);
    const { unit, count } = parsed;
    if (!(unit in UNIT_NS)) return error(E.BadProbeSpec, `'${unit}' is not an interval unit (s, ms, us, hz)`, spec.span, example);
    if (!Number.isSafeInteger(count) || count <= 0) return error(E.BadProbeSpec, `the interval must be a positive whole number, not '${spec.parts.at(-1)}'`, spec.span, example);
    const periodNs = unit === 'hz' ? Math.round(1e9 / count) : count * UNIT_NS[unit];
    if (periodNs < MIN_PERIOD_NS) return error(E.BadProbeSpec, `an interval shorter than ${MIN_PERIOD_NS / 1000} µs is not useful`, spec.span, example);
    return {
      text: spec.text,
      kindName: 'interval',
      context: 'none',
      section: 'perf_event',
      progType: BPF_PROG_TYPE.PERF_EVENT,
      attach: { kind: 'timer', periodNs },
      span: spec.span,
    };
  },
};

/** ["s", "1"] or bpftrace's one-part form ["1s"], ["100ms"]. */
function parse(parts: string[]): { unit: string; count: number } | undefined {
  if (parts.length === 2 && /^\d+$/.test(parts[1])) return { unit: parts[0], count: Number(parts[1]) };
  if (parts.length === 1) {
    const m = /^(\d+)([a-z]+)$/.exec(parts[0]);
    if (m) return { unit: m[2], count: Number(m[1]) };
  }
  return undefined;
}
