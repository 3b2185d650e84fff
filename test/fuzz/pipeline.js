// One fuzz input through the front end: parse -> check -> codegen -> emitObject, and the
// contract each input must meet: it compiles, or every diagnostic it gets is from the
// catalogue, positioned inside the text, and not an internal error. Anything else (another
// exception, an internal diagnostic, IR that LLVM refuses) is a bug, returned as such.
//
// The stages come from the caller (src/ through vitest, or dist/ from the bench), so this
// file imports nothing.

/** Diagnostics that legitimately have no place in the text. */
const UNPOSITIONED_OK = new Set(['NT0109' /* nested too deeply: the parser's stack ran out */]);

/**
 * @param {string} text
 * @param {{ parse, check, generate, emitObject, env, DiagnosticError, catalogue: Set<string>, emit?: boolean }} c
 * @returns {{ outcome: 'compiled', ir: string, sections: object } | { outcome: 'diagnostic', stage: string, codes: string[] } | { outcome: 'bug', stage: string, reason: string }}
 */
export function runPipeline(text, c) {
  let stage = 'parse';
  try {
    const ast = c.parse(text);
    stage = 'check';
    const checked = c.check(ast, c.env);
    stage = 'codegen';
    const code = c.generate(checked);
    const sections = Object.fromEntries(code.programs.map((p) => [p.functionName, p.section]));
    if (c.emit !== false) {
      stage = 'emit';
      c.emitObject(code.ir, sections);
    }
    return { outcome: 'compiled', ir: code.ir, sections };
  } catch (e) {
    if (!(e instanceof c.DiagnosticError)) {
      const code = e && typeof e === 'object' && 'code' in e ? `${e.code}: ` : '';
      return { outcome: 'bug', stage, reason: `${code}${e instanceof Error ? e.message : String(e)}`.slice(0, 2000) };
    }
    const problem = diagnosticProblem(e.diagnostics, text, c.catalogue);
    if (problem) return { outcome: 'bug', stage, reason: problem };
    return { outcome: 'diagnostic', stage, codes: e.diagnostics.map((d) => d.code) };
  }
}

function diagnosticProblem(diagnostics, text, catalogue) {
  if (diagnostics.length === 0) return 'DiagnosticError with no diagnostics';
  for (const d of diagnostics) {
    if (!catalogue.has(d.code)) return `code ${d.code} is not in the catalogue`;
    if (/internal/i.test(d.message)) return `internal error reported as ${d.code}: ${d.message}`;
    if (!d.span) {
      if (!UNPOSITIONED_OK.has(d.code)) return `${d.code} has no position: ${d.message}`;
      continue;
    }
    const { start, end } = d.span;
    if (!(start.offset >= 0 && start.offset <= end.offset && end.offset <= text.length && start.line >= 1 && start.column >= 1)) {
      return `${d.code} has a span outside the text (${start.offset}..${end.offset} of ${text.length}): ${d.message}`;
    }
  }
  return undefined;
}
