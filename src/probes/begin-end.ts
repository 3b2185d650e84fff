// BEGIN and END: run once, when tracing starts (before any other probe is attached) and
// when it stops (after every other probe is detached), as in bpftrace.
//
// They are XDP programs that the runtime runs itself with BPF_PROG_TEST_RUN on a dummy
// frame, from nettrace's own thread: synchronous (BEGIN is done before anything else is
// attached, and its events wait in the ring buffer), and the current task is nettrace,
// so pid and comm are nettrace's. XDP rather than raw_tracepoint because the kernel's
// test run of a raw_tracepoint program takes no data buffer, which the addon's
// progTestRun always passes. The program never sees the frame: the context is 'none'.
import { E } from '../diagnostics/catalogue.js';
import { error } from '../diagnostics/diagnostic.js';
import type { ProbeKind } from './kind.js';
import { BPF_PROG_TYPE } from '../model/uapi.js';

function onceProbe(name: 'BEGIN' | 'END'): ProbeKind {
  const when = name === 'BEGIN' ? 'begin' : 'end';
  return {
    name,
    aliases: [],
    doc: name === 'BEGIN' ? 'BEGIN — once, before the other probes are attached' : 'END — once, after the other probes are detached',
    resolve(spec) {
      if (spec.parts.length !== 0) return error(E.BadProbeSpec, `${name} takes no parts: write just ${name}`, spec.span);
      return {
        text: spec.text,
        kindName: name,
        context: 'none',
        section: 'xdp',
        progType: BPF_PROG_TYPE.XDP,
        attach: { kind: 'once', when },
        span: spec.span,
      };
    },
  };
}

export const beginProbe = onceProbe('BEGIN');
export const endProbe = onceProbe('END');
