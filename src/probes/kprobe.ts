// kprobe:FUNC / kretprobe:FUNC — a breakpoint at a kernel function's entry or return,
// where the kernel has kprobes (CONFIG_KPROBES). Arguments are typed from BTF as for
// fentry (`args.skb`), read from the registers the calling convention passes them in;
// `arg0`..`arg5` are the same registers as raw integers, and `retval` in a kretprobe is
// the return register. Whether the kernel has kprobes is asked of the running system
// (KernelEnv.kprobesAvailable, from the feature probe), never inferred from its version.
import type { ProbeSpec } from '../model/ast.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { alternativeProbes, alternativesHint } from './alternatives.js';
import { btfFunction, btfFunctionNames, matchFunctions } from './btf-functions.js';
import { BPF_PROG_TYPE } from '../model/uapi.js';
import type { ProbeKind } from './kind.js';
import type { ResolvedProbe } from '../model/probe.js';
import { kprobeRegisters } from './registers.js';

type KprobeKindName = 'kprobe' | 'kretprobe';

function kprobeKind(kind: KprobeKindName): ProbeKind {
  return {
    name: kind,
    aliases: [],
    doc: `${kind}:FUNCTION — a kprobe at a kernel function${kind === 'kretprobe' ? "'s return (retval)" : ''}; args.NAME typed from BTF, arg0..arg5 raw; needs a kernel with kprobes`,
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

function resolveOne(kind: KprobeKindName, spec: ProbeSpec, name: string, env: KernelEnv): ResolvedProbe {
  const btf = env.btf!()!;
  const func = btfFunction(btf, name)!;
  const registers = kprobeRegisters(btf);
  const probe: ResolvedProbe = {
    text: `${kind}:${name}`,
    kindName: kind,
    context: 'kprobe',
    section: `${kind}/${name}`,
    progType: BPF_PROG_TYPE.KPROBE,
    attach: { kind: 'kprobe', func: name, retprobe: kind === 'kretprobe' },
    span: spec.span,
    args: {
      kind: 'btf',
      params: func.params,
      ...(kind === 'kretprobe' && func.retval ? { retval: func.retval } : {}),
      ...(registers ? { registers } : {}),
    },
  };
  const refusal = refusalOf(kind, name, env, registers !== undefined);
  if (refusal) {
    probe.alternatives = alternativeProbes(name, env);
    probe.refusal = { message: refusal, hints: alternativesHint(name, probe.alternatives) };
  }
  return probe;
}

function refusalOf(kind: KprobeKindName, name: string, env: KernelEnv, knownRegisters: boolean): string | undefined {
  if (!env.kprobesAvailable?.()) {
    return `this kernel has no kprobes, so it cannot attach ${kind}:${name} (no kprobe PMU in /sys/bus/event_source/devices)`;
  }
  if (!knownRegisters) return `nettrace cannot read kprobe arguments on this architecture (struct pt_regs has no di/si/dx/cx/r8/r9)`;
  return undefined;
}

export const kprobeProbe = kprobeKind('kprobe');
export const kretprobeProbe = kprobeKind('kretprobe');
