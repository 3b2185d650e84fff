// The checker: resolves probes against the kernel, types every expression, and collects
// the program's maps. All errors are gathered and thrown together at the end.
import type { Expr, Program, ProbeSpec } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, throwIfErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedProbe } from '../model/probe.js';
import { findProbeKind, unknownProbeKind } from '../probes/registry.js';
import { checkActions } from './actions.js';
import type { CheckedBlock, CheckedProgram, MapInfo } from '../model/checked.js';
import { ExprTyper, type Scope } from './infer.js';
import { KernelAccess } from './kernel-access.js';
import { Constants } from './constants.js';
import type { KernelReads } from '../model/kernel-read.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { StatementChecker } from './statements.js';
import type { Type } from '../model/types.js';

export function check(ast: Program, env: KernelEnv): CheckedProgram {
  const diagnostics: Diagnostic[] = [];
  const types = new Map<Expr, Type>();
  const maps = new Map<string, MapInfo>();
  const typer = new ExprTyper(diagnostics, types, maps);
  const kernelReads: KernelReads = new Map();
  typer.constants = new Constants(() => env.btf?.());
  typer.kernelEnv = env;
  typer.kernel = new KernelAccess(diagnostics, env, kernelReads, (e, scope) => typer.type(e, scope as Scope));
  const statements = new StatementChecker(diagnostics, typer, maps, types);
  const blocks: CheckedBlock[] = [];

  if (ast.blocks.length === 0) diagnostics.push(error(E.EmptyProgram, 'the program has no probes', ast.span, "for example: xdp:eth0 { @[ip.src] = count() }"));

  for (const block of ast.blocks) {
    const probes = block.probes.flatMap((spec) => resolveProbe(spec, env, diagnostics));
    blocks.push({ block, probes });
    checkActions(block.body, probes, diagnostics);
    for (const probe of probes) {
      if (probe.refusal) diagnostics.push(error(E.ProbeNotSupported, probe.refusal.message, probe.span, ...probe.refusal.hints));
    }
  }

  const checkBodies = () => {
    for (const { block, probes } of blocks) {
      // A block shared by several probes is checked once per distinct context kind, so a
      // builtin that one of them lacks is reported; probes with arguments once each, as
      // each has its own `args` (tracepoint:tcp:* lays out each event differently).
      const contexts = new Map(probes.map((p, i) => [p.args ? `args ${i}` : p.context, p]));
      for (const probe of contexts.values()) {
        const scope: Scope = { context: probe.context, probeText: probe.text, vars: new Map<string, Type>(), probe };
        if (block.predicate) {
          const t = typer.type(block.predicate, scope);
          if (t) typer.expectScalar(t, block.predicate);
        }
        statements.checkAll(block.body, scope);
        statements.finishScope(scope);
      }
    }
  };
  // A map may be read above the statement that assigns it (`interval { print(@n) }`
  // before `xdp { @n = count() }`): rehearse until every assignment has made its map,
  // forgetting what the rehearsals reported, then check for real.
  const reported = diagnostics.length;
  for (let known = -1; known !== maps.size; ) {
    known = maps.size;
    checkBodies();
    diagnostics.length = reported;
    types.clear();
  }
  checkBodies();

  // A block checked once per probe repeats its mistakes: say each once.
  throwIfErrors(uniqueDiagnostics(diagnostics));
  return { ast, blocks, maps, types, kernelReads, constants: typer.constantValues, captures: typer.captures, pcapSkbs: typer.pcapSkbs };
}

function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code} ${d.span?.start.offset}-${d.span?.end.offset} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function resolveProbe(spec: ProbeSpec, env: KernelEnv, diagnostics: Diagnostic[]): ResolvedProbe[] {
  const kind = findProbeKind(spec.provider);
  if (!kind) {
    diagnostics.push(unknownProbeKind(spec));
    return [];
  }
  const resolved = kind.resolve(spec, env);
  if (Array.isArray(resolved)) return resolved;
  if ('code' in resolved) {
    diagnostics.push(resolved);
    return [];
  }
  return [resolved];
}
