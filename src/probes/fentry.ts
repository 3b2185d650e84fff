// fentry:FUNC / fexit:FUNC (kfunc:/kretfunc:) — a kernel function's entry or return,
// through a BPF trampoline, with its arguments typed by BTF (`args.skb->len`) and, on
// fexit, its return value (`retval`).
//
// Some kernels refuse trampolines (this project's own test machine answers EPERM with an
// empty verifier log). That is found out where it happens, when the program is loaded,
// not guessed from the kernel version; the diagnostic then names tracepoints and raw
// tracepoints near the function (`alternatives`).
import type { ProbeSpec } from '../model/ast.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { alternativeProbes } from './alternatives.js';
import { btfFunction, btfFunctionNames, matchFunctions } from './btf-functions.js';
import { BPF_ATTACH_TYPE, BPF_PROG_TYPE } from '../model/uapi.js';
import type { ProbeKind } from './kind.js';
import type { ResolvedProbe } from '../model/probe.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

function tracingProbe(kind: 'fentry' | 'fexit', alias: string): ProbeKind {
  return {
    name: kind,
    aliases: [alias],
    doc:
      kind === 'fentry'
        ? 'fentry:FUNCTION — entry of a kernel function; args.NAME typed from BTF (needs BPF trampolines)'
        : 'fexit:FUNCTION — return of a kernel function; args.NAME and retval typed from BTF (needs BPF trampolines)',
    resolve(spec, env) {
      const found = matchFunctions(spec, env, kind);
      if ('code' in found) return found;
      const probes: ResolvedProbe[] = [];
      for (const name of found.names) {
        const probe = resolveOne(kind, spec, name, env);
        if ('code' in probe) return probe;
        probes.push(probe);
      }
      return probes;
    },
    list(env) {
      return btfFunctionNames(env).map((name) => `${kind}:${name}`);
    },
  };
}

function resolveOne(kind: 'fentry' | 'fexit', spec: ProbeSpec, name: string, env: KernelEnv): ResolvedProbe | Diagnostic {
  const func = btfFunction(env.btf!()!, name)!;
  return {
    text: `${kind}:${name}`,
    kindName: kind,
    context: 'btf',
    section: `${kind}/${name}`,
    progType: BPF_PROG_TYPE.TRACING,
    expectedAttachType: kind === 'fentry' ? BPF_ATTACH_TYPE.TRACE_FENTRY : BPF_ATTACH_TYPE.TRACE_FEXIT,
    attachBtfName: name,
    attach: { kind: 'tracing', func: name },
    span: spec.span,
    args: { kind: 'btf', params: func.params, ...(kind === 'fexit' && func.retval ? { retval: func.retval } : {}) },
    alternatives: alternativeProbes(name, env),
  };
}

export const fentryProbe = tracingProbe('fentry', 'kfunc');
export const fexitProbe = tracingProbe('fexit', 'kretfunc');
