// kprobe:FUNC / kretprobe:FUNC — a breakpoint at a kernel function, where the kernel has
// kprobes (CONFIG_KPROBES). Arguments are typed from BTF as for fentry, so a program is
// checked in full; whether the kernel has kprobes is asked of the running system
// (KernelEnv.kprobesAvailable), never inferred from its version.
//
// nettrace does not attach kprobes yet (on a kernel that has them, fentry:FUNC reads
// the same arguments through BTF), so a kprobe always ends in a diagnostic: either
// "this kernel has no kprobes" or "nettrace cannot attach kprobes yet", both naming the
// probes that can be used instead.
import type { ProbeSpec } from '../ast.js';
import type { KernelEnv } from '../check/kernel-env.js';
import { alternativeProbes, alternativesHint } from './alternatives.js';
import { btfFunction, btfFunctionNames, matchFunctions } from './btf-functions.js';
import { BPF_PROG_TYPE, type ProbeKind, type ResolvedProbe } from './kind.js';

function kprobeKind(kind: 'kprobe' | 'kretprobe'): ProbeKind {
  return {
    name: kind,
    aliases: [],
    doc: `${kind}:FUNCTION — a kprobe at a kernel function${kind === 'kretprobe' ? "'s return" : ''}; needs a kernel with kprobes`,
    resolve(spec, env) {
      const found = matchFunctions(spec, env, kind);
      if ('code' in found) return found;
      return found.names.map((name) => resolveOne(kind, spec, name, env));
    },
    list(env) {
      return env.kprobesAvailable?.() ? btfFunctionNames(env).map((name) => `${kind}:${name}`) : [];
    },
  };
}

function resolveOne(kind: 'kprobe' | 'kretprobe', spec: ProbeSpec, name: string, env: KernelEnv): ResolvedProbe {
  const func = btfFunction(env.btf!()!, name)!;
  const alternatives = alternativeProbes(name, env);
  const hints = alternativesHint(name, alternatives);
  const available = env.kprobesAvailable?.() ?? false;
  if (available) hints.push(`fentry:${name} reads the same arguments through BTF`);
  return {
    text: `${kind}:${name}`,
    kindName: kind,
    context: 'btf',
    section: `${kind}/${name}`,
    progType: BPF_PROG_TYPE.TRACING,
    attach: { kind: 'tracing', func: name },
    span: spec.span,
    args: { kind: 'btf', params: func.params, ...(kind === 'kretprobe' && func.retval ? { retval: func.retval } : {}) },
    alternatives,
    refusal: {
      message: available
        ? `nettrace cannot attach ${kind}s yet (${spec.text})`
        : `this kernel has no kprobes, so it cannot attach ${kind}:${name} (no kprobe PMU in /sys/bus/event_source/devices, no kprobe_events in tracefs)`,
      hints,
    },
  };
}

export const kprobeProbe = kprobeKind('kprobe');
export const kretprobeProbe = kprobeKind('kretprobe');
