// The names Tab completes, all derived from the compiler's own tables and the running
// machine, so completion cannot offer what the compiler rejects: probe kinds and the
// probes each offers from the probe registry (the lists `nettrace -l` prints), `args`
// fields from the probe kinds' own resolution (what the checker types `args` by),
// functions from the aggregation and function registries, builtins from their registry
// (only those the block's probes can read), header fields from the packet model, constant
// names from the block's probes (constant-completions.ts).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedProbe } from '../model/probe.js';
import { AGGREGATION_RECORDS } from '../aggregations/registry.js';
import { ACTION_NAMES } from '../model/actions.js';
import { VALUE_BUILTINS } from '../builtins/registry.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { CALL_STATEMENTS, VALUE_FUNCTIONS } from '../functions/registry.js';
import { HEADERS, isHeaderName, PKT_FIELDS } from '../packet/model.js';
import type * as Parser from '../parser/index.js';
import { findProbeKind, probeKindNames } from '../probes/registry.js';
import { COMMANDS } from './commands.js';
import { constantCompletions } from './constant-completions.js';
import type { CompletionSources } from './completion.js';

const WORDS = [
  ...Object.keys(HEADERS),
  'pkt',
  'payload',
  'inner',
  ...[...AGGREGATION_RECORDS, ...CALL_STATEMENTS, ...VALUE_FUNCTIONS].map((f) => `${f.name}(`),
  ...ACTION_NAMES,
];

/**
 * The parser and the keyword tokens need chevrotain, which the REPL loads after its first
 * prompt (start-repl.tsx): until then Tab offers no keywords and resolves no probe list.
 */
let parser: typeof Parser | undefined;
let keywords: string[] = [];
let parserLoading: Promise<void> | undefined;
export function loadCompletionParser(): Promise<void> {
  parserLoading ??= Promise.all([import('../parser/index.js'), import('../lexer/tokens.js')]).then(([p, t]) => {
    parser = p;
    keywords = [t.If, t.Else, t.True, t.False].map((keyword) => String(keyword.PATTERN));
  });
  return parserLoading;
}

export function liveCompletionSources(env: KernelEnv): CompletionSources {
  return {
    probeKinds: () => probeKindNames(),
    probes(provider) {
      const kind = findProbeKind(provider);
      // The lists name the kind as the registry does; the user may have typed an alias.
      return (kind?.list?.(env) ?? []).map((probe) => provider + probe.slice(kind!.name.length));
    },
    isProbe: (text) => resolveProbes(text, env).length > 0,
    words(probes) {
      const resolved = resolveProbes(probes, env);
      const args = resolved.some((p) => p.args) ? ['args'] : [];
      const retval = resolved.some((p) => p.args?.kind === 'btf' && p.args.retval) ? ['retval'] : [];
      const builtins = VALUE_BUILTINS.filter((b) => b.contexts === 'all' || resolved.some((p) => b.contexts.includes(p.context))).map((b) => b.name);
      return [...WORDS, ...keywords, ...builtins, ...args, ...retval, ...constantCompletions(resolved)];
    },
    fields(object, probes) {
      if (object === 'pkt') return Object.keys(PKT_FIELDS);
      if (isHeaderName(object)) return Object.keys(HEADERS[object].fields);
      if (object === 'inner') return Object.keys(HEADERS); // inner.ip, inner.tcp, ...
      if (object === 'args') return resolveProbes(probes, env).flatMap(argNames);
      return [];
    },
    commands: () => COMMANDS.map((c) => c.name),
    files: (dir) => listDir(dir),
  };
}

/** The probes a probe list (as written) resolves to, as the checker resolves them; none when it does not parse or resolve. */
function resolveProbes(list: string, env: KernelEnv): ResolvedProbe[] {
  if (parser === undefined) return [];
  try {
    const specs = parser.parse(`${list} {}`).blocks[0]?.probes ?? [];
    return specs.flatMap((spec) => {
      const resolved = findProbeKind(spec.provider)?.resolve(spec, env);
      if (resolved === undefined || (!Array.isArray(resolved) && 'code' in resolved)) return [];
      return Array.isArray(resolved) ? resolved : [resolved];
    });
  } catch {
    return []; // half-typed: nothing to offer yet
  }
}

/** What `args.` can be followed by: the fields nettrace can read, or the BTF arguments. */
function argNames(probe: ResolvedProbe): string[] {
  const { args } = probe;
  if (!args) return [];
  return args.kind === 'record' ? args.fields.filter((f) => f.type).map((f) => f.name) : args.params.map((p) => p.name);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .map((n) => (isDirectory(join(dir, n)) ? `${n}/` : n));
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
