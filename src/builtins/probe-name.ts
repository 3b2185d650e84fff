// probe: the full name of the probe that fired, as bpftrace's `probe` builtin:
// `tracepoint:net:net_dev_queue` however it was written (`t:net:net_dev_queue`, or one
// match of a wildcard, whose matches each get their own program). A constant of each
// program, stored into a string on the stack when it is read.
import type { ResolvedProbe } from '../model/probe.js';
import { str } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';
import { constantString } from './constant-string.js';

/** Bytes of the value, NUL included: the longest probe name a map key can hold. */
const PROBE_NAME_SIZE = 64;

/** The probe's name as bpftrace prints it. */
export function probeName(probe: ResolvedProbe): string {
  const a = probe.attach;
  switch (a.kind) {
    case 'tracepoint':
      return `tracepoint:${a.category}:${a.name}`;
    case 'kprobe':
      return `${a.retprobe ? 'kretprobe' : 'kprobe'}:${a.func}`;
    case 'once':
      return a.when === 'begin' ? 'BEGIN' : 'END';
    case 'rawtracepoint':
      return `rawtracepoint:${a.name}`;
    case 'tracing':
      return `${probe.kindName}:${a.func}`;
    case 'xdp':
      return `xdp:${a.ifname}`;
    case 'tc':
      return `tc:${a.ifname}:${a.direction}`;
    case 'timer':
      return probe.text;
  }
}

export const probeBuiltin: ValueBuiltin = {
  name: 'probe',
  type: str(PROBE_NAME_SIZE),
  contexts: 'all',
  doc: 'full name of the probe that fired: tracepoint:net:net_dev_queue',
  emit: (f) => constantString(f, f.probe ? probeName(f.probe) : '', PROBE_NAME_SIZE, 'probe'),
};
