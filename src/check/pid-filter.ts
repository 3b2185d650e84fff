// -p PID: the run sees only what process PID does, where "what a process does" has a
// meaning. Blocks of probes that run in the context of the task that caused them
// (tracepoints, raw tracepoints, kprobes, fentry) get `pid == PID` added to their
// predicate; xdp, tc and interval probes run in softirq or timer context, where the
// current task is whichever one was interrupted, and BEGIN/END run in nettrace itself:
// they are left as written (docs/usage.md, "-p PID").
import type { Binary, Expr, ProbeBlock, ProbeSpec, Program } from '../model/ast.js';
import { findProbeKind } from '../probes/registry.js';

/** Probe kinds whose programs run in the task that caused the event. */
const TASK_CONTEXT_KINDS = new Set(['tracepoint', 'rawtracepoint', 'kprobe', 'kretprobe', 'fentry', 'fexit']);

export function applyPidFilter(program: Program, pid: number | undefined): Program {
  if (pid === undefined) return program;
  const blocks = program.blocks.flatMap((block): ProbeBlock[] => {
    const inTask = block.probes.filter(isTaskContext);
    if (inTask.length === 0) return [block];
    const filtered: ProbeBlock = { ...block, probes: inTask, predicate: withPid(block, pid) };
    const rest = block.probes.filter((p) => !isTaskContext(p));
    // A block naming both kinds of probes becomes two blocks sharing one body.
    return rest.length === 0 ? [filtered] : [filtered, { ...block, probes: rest }];
  });
  return { ...program, blocks };
}

function isTaskContext(spec: ProbeSpec): boolean {
  const kind = findProbeKind(spec.provider);
  return kind !== undefined && TASK_CONTEXT_KINDS.has(kind.name);
}

/** `pid == PID`, and the block's own predicate after it; an empty span where the probes start (nothing the user wrote). */
function withPid(block: ProbeBlock, pid: number): Expr {
  const start = block.probes[0].span.start;
  const span = { start, end: start };
  const test: Binary = {
    kind: 'Binary',
    op: '==',
    left: { kind: 'Ident', name: 'pid', span },
    right: { kind: 'Int', value: BigInt(pid), span },
    span,
  };
  return block.predicate ? { kind: 'Binary', op: '&&', left: test, right: block.predicate, span } : test;
}
