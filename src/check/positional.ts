// Positional parameters in probes, as bpftrace has them: `nettrace top-talkers.nt eth0`
// runs a script written as `xdp:$1 { ... }` on eth0. Scripts in stdlib/ take their
// interface this way instead of naming one machine's. Only probe specs take them; the
// substitution happens on the AST before the checker resolves probes, so diagnostics
// still point at what the user wrote.
import type { Program, ProbeSpec } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, throwIfErrors, type Diagnostic } from '../diagnostics/diagnostic.js';

const POSITIONAL = /\$(\d+)/g;

/** Returns the program with every `$N` in its probes replaced by params[N - 1]. */
export function substitutePositional(ast: Program, params: string[]): Program {
  const diagnostics: Diagnostic[] = [];
  const substitute = (spec: ProbeSpec): ProbeSpec => {
    if (!spec.text.includes('$')) return spec;
    // The text is rewritten like the parts, but only the parts report what is missing.
    const replace = (s: string, report: boolean) =>
      s.replace(POSITIONAL, (whole, digits: string) => {
        const n = Number(digits);
        const value = n >= 1 ? params[n - 1] : undefined;
        if (value !== undefined) return value;
        if (!report) return whole;
        diagnostics.push(
          error(
            E.MissingPositional,
            `${spec.text} uses ${whole}, but ${params.length === 0 ? 'no arguments were' : `only ${params.length} argument${params.length === 1 ? ' was' : 's were'}`} given after the program`,
            spec.span,
            `the arguments after the script (or after -e PROGRAM) are $1, $2 ...: nettrace SCRIPT.nt ${Array.from({ length: Math.max(n, 1) }, (_, i) => `ARG${i + 1}`).join(' ')}`,
          ),
        );
        return whole;
      });
    return { ...spec, parts: spec.parts.map((p) => replace(p, true)), text: replace(spec.text, false) };
  };
  const out: Program = { ...ast, blocks: ast.blocks.map((b) => ({ ...b, probes: b.probes.map(substitute) })) };
  throwIfErrors(diagnostics);
  return out;
}
