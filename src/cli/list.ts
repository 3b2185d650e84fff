// `nettrace -l [PATTERN]` lists the probes this kernel offers; `nettrace -lv PROBE` shows
// what a probe's `args` hold, with their C types, as bpftrace's -l / -lv do.
//
// A PATTERN with a colon is matched against whole probe names (`tracepoint:tcp:*`,
// `t:skb:*`: aliases work); one without is matched against the part after the probe
// kind, as a glob when it has wildcards and as a substring otherwise (`-l kfree_skb`
// finds the tracepoint, the raw tracepoint and the kernel functions of that name).
import type { ProbeSpec, Span } from '../model/ast.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { typeName, type Type } from '../model/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { HEADERS } from '../packet/model.js';
import { globMatch, hasWildcard } from '../probes/glob.js';
import type { ProbeKind } from '../probes/kind.js';
import type { ResolvedProbe } from '../model/probe.js';
import { findProbeKind, PROBE_KINDS, unknownProbeKind } from '../probes/registry.js';

export type ListResult = { text: string } | { diagnostics: Diagnostic[] };

export function listProbes(request: { pattern?: string; verbose: boolean }, env: KernelEnv): ListResult {
  return request.verbose ? describeProbe(request.pattern!, env) : { text: lines(matchingProbes(request.pattern, env)) };
}

function matchingProbes(pattern: string | undefined, env: KernelEnv): string[] {
  if (pattern === undefined || pattern === '' || pattern === '*') return PROBE_KINDS.flatMap((k) => k.list?.(env) ?? []);
  const colon = pattern.indexOf(':');
  if (colon === -1) {
    const kind = findProbeKind(pattern);
    if (kind) return kind.list?.(env) ?? [];
    const matches = hasWildcard(pattern) ? (rest: string) => globMatch(pattern, rest) : (rest: string) => rest.includes(pattern);
    return PROBE_KINDS.flatMap((k) => (k.list?.(env) ?? []).filter((p) => matches(p.slice(p.indexOf(':') + 1))));
  }
  const provider = pattern.slice(0, colon);
  const rest = pattern.slice(colon + 1);
  const kinds: ProbeKind[] = hasWildcard(provider) ? PROBE_KINDS.filter((k) => globMatch(provider, k.name)) : [findProbeKind(provider)].filter((k): k is ProbeKind => !!k);
  return kinds.flatMap((k) => (k.list?.(env) ?? []).filter((p) => globMatch(`${k.name}:${rest}`, p)));
}

function describeProbe(text: string, env: KernelEnv): ListResult {
  const spec = probeSpec(text);
  const kind = findProbeKind(spec.provider);
  if (!kind) return { diagnostics: [unknownProbeKind(spec)] };
  const resolved = kind.resolve(spec, env);
  if (!Array.isArray(resolved) && 'code' in resolved) return { diagnostics: [resolved] };
  const probes = Array.isArray(resolved) ? resolved : [resolved];
  return { text: probes.map(describeResolved).join('') };
}

function describeResolved(probe: ResolvedProbe): string {
  const out = [probe.text];
  const args = probe.args;
  if (args?.kind === 'record') {
    for (const f of args.fields) out.push(`    ${declaration(f.ctype, f.name)}${f.unsupported ? `    (not readable: ${f.unsupported})` : shownAs(f.ctype, f.type)}`);
  } else if (args?.kind === 'btf') {
    for (const p of args.params) out.push(`    ${declaration(p.ctype, p.name)}`);
    if (args.retval) out.push(`    ${declaration(args.retval.ctype, 'retval')}`);
  } else if (probe.context === 'xdp' || probe.context === 'skb') {
    // Packet probes have no args: they have the packet model.
    out.push(`    pkt.len`);
    for (const [header, spec] of Object.entries(HEADERS)) {
      out.push(`    ${Object.entries(spec.fields).map(([name, f]) => `${header}.${name} (${typeName(f.type)})`).join(', ')}`);
    }
  }
  if (args?.kind === 'record' || args?.kind === 'btf') {
    if (args.kind === 'record' ? args.fields.length === 0 : args.params.length === 0 && !args.retval) out.push('    (no arguments)');
  }
  if (probe.refusal) out.push(`    (${probe.refusal.message})`);
  return lines(out);
}

/** What nettrace makes of a field whose C type does not say it: addresses, names for numbers. */
function shownAs(ctype: string, type: Type | undefined): string {
  if (!type) return '';
  if (type.kind === 'int' && type.enum && !ctype.startsWith('enum')) {
    const names = Object.values(type.enum.names);
    return `    (prints as ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`;
  }
  if (type.kind === 'int' && type.show === 'ipv4') return '    (ipv4 address)';
  if (type.kind === 'bytes') return `    (${typeName(type)})`;
  if (type.kind === 'str' && !ctype.includes('char')) return `    (string)`;
  return '';
}

/** C declarations as bpftrace prints them: `void * skbaddr`, `__u8[4] saddr`. */
function declaration(ctype: string, name: string): string {
  return `${ctype} ${name}`;
}

function probeSpec(text: string): ProbeSpec {
  const [provider, ...parts] = text.split(':');
  const end = { offset: text.length, line: 1, column: text.length + 1 };
  const span: Span = { start: { offset: 0, line: 1, column: 1 }, end };
  return { kind: 'ProbeSpec', provider, parts, text, span };
}

function lines(items: string[]): string {
  return items.length ? `${items.join('\n')}\n` : '';
}
