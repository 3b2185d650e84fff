// rawtracepoint:NAME (rt:) — a kernel tracepoint seen before the event's record is
// built: the program gets the tracepoint's own C arguments, typed by BTF (a tp_btf
// program). Where tracepoint:skb:kfree_skb has a `void *skbaddr`, rawtracepoint:kfree_skb
// has `struct sk_buff *skb`, so `args.skb->len`, `args.skb->dev->name` and the packet
// model (`args.skb.ip.src`) can be read.
import type { ProbeSpec } from '../model/ast.js';
import type { Btf } from '../btf/reader.js';
import { cTypeName, resolved } from '../btf/resolve.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseFormat } from '../tracefs/format.js';
import { closest } from '../util/did-you-mean.js';
import type { BtfArg } from '../model/probe-args.js';
import { globMatch, hasWildcard } from './glob.js';
import { BPF_ATTACH_TYPE, BPF_PROG_TYPE } from '../model/uapi.js';
import type { ProbeKind } from './kind.js';
import type { ResolvedProbe } from '../model/probe.js';
import { rawTracepointNames, rawTracepointTypedef } from './rawtracepoint-names.js';
import { symbolNames } from './tracepoint-fields.js';

export const rawTracepointProbe: ProbeKind = {
  name: 'rawtracepoint',
  aliases: ['rt'],
  doc: 'rawtracepoint:NAME — a tracepoint with BTF-typed arguments (tp_btf): args.skb->len, args.skb.ip.src',
  resolve(spec, env) {
    if (spec.parts.length !== 1 || spec.parts[0] === '') {
      return error(E.BadProbeSpec, `'${spec.text}' needs one tracepoint name: rawtracepoint:NAME`, spec.span, 'for example: rawtracepoint:kfree_skb');
    }
    const btf = env.btf?.();
    if (!btf) return error(E.ProbeNotSupported, `${spec.text} needs the kernel's BTF (/sys/kernel/btf/vmlinux), which this kernel does not have`, spec.span, 'classic tracepoints work without it: tracepoint:CATEGORY:NAME');
    const pattern = spec.parts[0];
    const all = rawTracepointNames(env);
    const matches = hasWildcard(pattern) ? all.filter((n) => globMatch(pattern, n)) : rawTracepointTypedef(btf, pattern) !== undefined ? [pattern] : [];
    if (matches.length === 0) {
      const guess = hasWildcard(pattern) ? undefined : closest(pattern, all);
      return error(
        E.NoSuchTracepoint,
        hasWildcard(pattern) ? `no raw tracepoint matches '${pattern}'` : `the kernel has no raw tracepoint '${pattern}'`,
        spec.span,
        guess ? `did you mean 'rawtracepoint:${guess}'?` : '',
        `list them: nettrace -l 'rawtracepoint:*'`,
      );
    }
    const probes: ResolvedProbe[] = [];
    for (const name of matches) {
      const probe = resolveOne(spec, name, btf, env);
      if ('code' in probe) return probe;
      probes.push(probe);
    }
    return probes;
  },
  list(env) {
    return rawTracepointNames(env).map((name) => `rawtracepoint:${name}`);
  },
};

function resolveOne(spec: ProbeSpec, name: string, btf: Btf, env: KernelEnv): ResolvedProbe | Diagnostic {
  const params = rawTracepointArgs(btf, name, env);
  if (!params) return error(E.NoSuchTracepoint, `the BTF of raw tracepoint ${name} is not a function pointer`, spec.span);
  return {
    text: `rawtracepoint:${name}`,
    kindName: 'rawtracepoint',
    context: 'btf',
    section: `tp_btf/${name}`,
    progType: BPF_PROG_TYPE.TRACING,
    // A tracing program attached to a raw tracepoint (tp_btf).
    expectedAttachType: BPF_ATTACH_TYPE.TRACE_RAW_TP,
    attachBtfName: name,
    attach: { kind: 'rawtracepoint', name },
    span: spec.span,
    args: { kind: 'btf', params },
  };
}

/**
 * The tracepoint's C arguments. Their types come from the `btf_trace_NAME` typedef (a
 * pointer to `void (void *, ARGS...)`), which carries no parameter names; those come
 * from the kernel's `__traceiter_NAME` function, which has the same parameters, named.
 */
function rawTracepointArgs(btf: Btf, name: string, env: KernelEnv): BtfArg[] | undefined {
  const typedef = rawTracepointTypedef(btf, name);
  const pointer = typedef === undefined ? undefined : resolved(btf, typedef);
  const proto = pointer?.kind === 'ptr' ? btf.get(pointer.type) : undefined;
  if (!proto || proto.kind !== 'func_proto') return undefined;
  const typed = proto.params.slice(1);
  const iterId = btf.find(`__traceiter_${name}`, 'func');
  const iter = iterId === undefined ? undefined : btf.get(iterId);
  const iterProto = iter?.kind === 'func' ? btf.get(iter.type) : undefined;
  const named = iterProto?.kind === 'func_proto' && iterProto.params.length === proto.params.length ? iterProto.params.slice(1) : undefined;
  const symbols = classicSymbols(name, env);
  return typed.map((p, i) => {
    const argName = named?.[i].name || `arg${i}`;
    const arg: BtfArg = { name: argName, btfType: p.type, ctype: cTypeName(btf, p.type) };
    // A plain int the classic tracepoint prints by name (inet_sock_set_state's newstate)
    // prints by the same names here.
    const t = resolved(btf, p.type);
    const table = symbols?.[argName];
    if (t?.kind === 'int' && table) {
      const names = symbolNames(`${name}.${argName}`, table, btf);
      if (names) arg.enum = names;
    }
    return arg;
  });
}

/** The `__print_symbolic` tables of the classic tracepoint with the same name, if any. */
function classicSymbols(name: string, env: KernelEnv): ReturnType<typeof parseFormat>['symbols'] | undefined {
  const classic = env.tracepoints?.().find((tp) => tp.endsWith(`:${name}`));
  if (!classic) return undefined;
  const [category] = classic.split(':');
  const text = env.tracepointFormat?.(category, name);
  if (!text) return undefined;
  try {
    return parseFormat(text).symbols;
  } catch {
    return undefined;
  }
}
