// The checker: resolves probes against the kernel, types every expression, and collects
// the program's maps. All errors are gathered and thrown together at the end.
import type { Expr, Program, ProbeSpec } from '../ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, throwIfErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedProbe } from '../probes/kind.js';
import { findProbeKind, probeKindNames } from '../probes/registry.js';
import { closest } from '../util/did-you-mean.js';
import type { CheckedBlock, CheckedProgram, MapInfo } from './checked.js';
import { ExprTyper } from './infer.js';
import type { KernelEnv } from './kernel-env.js';
import { StatementChecker } from './statements.js';
import type { Type } from './types.js';

export function check(ast: Program, env: KernelEnv): CheckedProgram {
  const diagnostics: Diagnostic[] = [];
  const types = new Map<Expr, Type>();
  const maps = new Map<string, MapInfo>();
  const typer = new ExprTyper(diagnostics, types, maps);
  const statements = new StatementChecker(diagnostics, typer, maps);
  const blocks: CheckedBlock[] = [];

  if (ast.blocks.length === 0) diagnostics.push(error(E.EmptyProgram, 'the program has no probes', ast.span, "for example: xdp:eth0 { @[ip.src] = count() }"));

  for (const block of ast.blocks) {
    const probes = block.probes.map((spec) => resolveProbe(spec, env, diagnostics)).filter((p): p is ResolvedProbe => p !== undefined);
    blocks.push({ block, probes });
    // A block shared by several probes is checked once per distinct context kind, so a
    // builtin that one of them lacks is reported.
    const contexts = new Map(probes.map((p) => [p.context, p]));
    for (const probe of contexts.values()) {
      const scope = { context: probe.context, probeText: probe.text, vars: new Map<string, Type>() };
      if (block.predicate) {
        const t = typer.type(block.predicate, scope);
        if (t) typer.expectScalar(t, block.predicate);
      }
      statements.checkAll(block.body, scope);
    }
  }

  throwIfErrors(diagnostics);
  return { ast, blocks, maps, types };
}

function resolveProbe(spec: ProbeSpec, env: KernelEnv, diagnostics: Diagnostic[]): ResolvedProbe | undefined {
  const kind = findProbeKind(spec.provider);
  if (!kind) {
    const guess = closest(spec.provider, probeKindNames());
    diagnostics.push(
      error(E.UnknownProbeKind, `unknown probe kind '${spec.provider}'`, spec.span, guess ? `did you mean '${guess}'?` : '', `probe kinds: ${probeKindNames().join(', ')}`),
    );
    return undefined;
  }
  const resolved = kind.resolve(spec, env);
  if ('code' in resolved) {
    diagnostics.push(resolved);
    return undefined;
  }
  return resolved;
}
