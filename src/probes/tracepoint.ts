// tracepoint:CATEGORY:NAME (t:) — a classic kernel tracepoint, a fixed point the kernel
// developers placed in the code (skb:kfree_skb where a packet is dropped,
// sock:inet_sock_set_state where a TCP socket changes state). The program receives the
// event's record; `args.NAME` reads its fields, typed from tracefs's format file.
// Wildcards expand to every match, one program each: tracepoint:tcp:*.
import type { ProbeSpec } from '../model/ast.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { FormatParseError, parseFormat } from '../tracefs/format.js';
import { closest } from '../util/did-you-mean.js';
import { globMatch, hasWildcard } from './glob.js';
import { BPF_PROG_TYPE } from '../model/uapi.js';
import type { ProbeKind } from './kind.js';
import type { ResolvedProbe } from '../model/probe.js';
import { recordArgs } from './tracepoint-fields.js';

export const tracepointProbe: ProbeKind = {
  name: 'tracepoint',
  aliases: ['t'],
  doc: 'tracepoint:CATEGORY:NAME — a kernel tracepoint (wildcards allowed); args.FIELD from its format',
  resolve(spec, env) {
    if (spec.parts.length !== 2 || spec.parts.some((p) => p === '')) {
      return error(E.BadProbeSpec, `'${spec.text}' needs a category and a name: tracepoint:CATEGORY:NAME`, spec.span, 'for example: tracepoint:skb:kfree_skb');
    }
    const all = env.tracepoints?.() ?? [];
    if (all.length === 0) {
      return error(E.ProbeNotSupported, `cannot see the kernel's tracepoints for ${spec.text}`, spec.span, env.tracefsProblem?.() ?? 'tracefs is not mounted at /sys/kernel/tracing and mounting it failed (it needs root)');
    }
    const [category, name] = spec.parts;
    const pattern = `${category}:${name}`;
    const matches = hasWildcard(pattern) ? all.filter((tp) => globMatch(pattern, tp)) : all.includes(pattern) ? [pattern] : [];
    if (matches.length === 0) return noSuchTracepoint(spec, pattern, all);
    const probes: ResolvedProbe[] = [];
    for (const match of matches) {
      const probe = resolveOne(spec, match, env);
      if ('code' in probe) return probe;
      probes.push(probe);
    }
    return probes;
  },
  list(env) {
    return (env.tracepoints?.() ?? []).map((tp) => `tracepoint:${tp}`);
  },
};

function resolveOne(spec: ProbeSpec, categoryAndName: string, env: KernelEnv): ResolvedProbe | Diagnostic {
  const [category, name] = categoryAndName.split(':');
  const text = env.tracepointFormat?.(category, name);
  if (text === undefined) return error(E.NoSuchTracepoint, `the kernel has no tracepoint ${categoryAndName} (its format file is missing)`, spec.span);
  let format;
  try {
    format = parseFormat(text);
  } catch (e) {
    if (!(e instanceof FormatParseError)) throw e;
    return error(E.NoSuchTracepoint, `cannot read the format of tracepoint ${categoryAndName}: ${e.message}`, spec.span);
  }
  return {
    text: `tracepoint:${categoryAndName}`,
    kindName: 'tracepoint',
    context: 'tracepoint',
    section: `tracepoint/${category}/${name}`,
    progType: BPF_PROG_TYPE.TRACEPOINT,
    attach: { kind: 'tracepoint', category, name },
    span: spec.span,
    args: { kind: 'record', fields: recordArgs(format, env.btf?.()) },
  };
}

function noSuchTracepoint(spec: ProbeSpec, pattern: string, all: string[]): Diagnostic {
  const [category] = pattern.split(':');
  const inCategory = all.filter((tp) => tp.startsWith(`${category}:`));
  const guess = hasWildcard(pattern) ? undefined : closest(pattern, inCategory.length ? inCategory : all);
  const categories = [...new Set(all.map((tp) => tp.split(':')[0]))];
  const hints = [guess ? `did you mean 'tracepoint:${guess}'?` : ''];
  if (inCategory.length) hints.push(`list them: nettrace -l 'tracepoint:${category}:*'`);
  else {
    const nearCategory = closest(category, categories);
    hints.push(nearCategory ? `there is no category '${category}'; did you mean '${nearCategory}'?` : `there is no category '${category}'; list them all: nettrace -l 'tracepoint:*'`);
  }
  const what = hasWildcard(pattern) ? `no tracepoint matches '${pattern}'` : `the kernel has no tracepoint '${pattern}'`;
  return error(E.NoSuchTracepoint, what, spec.span, ...hints);
}
