// parse(text) -> Program, or a DiagnosticError carrying every syntax error found.
//
// The phases, top-down:
//   1. tokenize (lexer/): tokens, lexing errors, and where the top-level probe blocks end.
//   2. parseBlocks (blocks.ts): each top-level block parsed on its own (segments.ts), so an
//      error in one block never hides the errors of the next; chevrotain's error recovery
//      finds further errors inside a block (triage.ts drops the follow-on ones); blocks
//      that parsed cleanly become AST (build-ast.ts, which adds its own checks).
//   3. NT0105 (angle.ts): a `>` that closed a `< ... >` block but was meant as a
//      comparison; confirmed by re-lexing it as one, then the whole program is re-checked.
// Nothing but DiagnosticError leaves parse(), for any input string.
import type { Program } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { tokenize } from '../lexer/lexer.js';
import { angleDiagnostic, rightOperandFails } from './angle.js';
import { parseBlocks } from './blocks.js';
import { discardGrammar } from './grammar.js';
import { expressionDepthDiagnostic } from './depth.js';
import { sortAndDedupe } from './triage.js';

export { ANGLE_HINT } from './angle.js';

/** How many `>` the parser re-reads as comparisons before it stops guessing. */
const MAX_ANGLE_RETRIES = 8;

export function parse(text: string): Program {
  try {
    return parseProgram(text);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    // After an exception inside a rule, chevrotain's state may be half-unwound.
    discardGrammar();
    if (e instanceof RangeError) {
      // Recursion ran out of stack: expressions like `!!!!...x` thousands deep.
      throw new DiagnosticError([
        error(E.TooDeeplyNested, 'the program is nested too deeply to parse', undefined, 'split deeply nested expressions into $variables'),
      ]);
    }
    // A bug in nettrace, not in the program; still a diagnostic, never a stack trace.
    throw new DiagnosticError([error(E.UnexpectedToken, `internal parser error (a bug in nettrace): ${String(e)}`)]);
  }
}

function parseProgram(text: string): Program {
  let notAngleClose = new Set<number>();
  let lex = tokenize(text, { notAngleClose });
  let outcome = parseBlocks(lex);
  const angleDiagnostics: Diagnostic[] = [];

  for (let attempt = 0; attempt < MAX_ANGLE_RETRIES && outcome.misusedAngle; attempt++) {
    const gt = outcome.misusedAngle;
    const trial = new Set([...notAngleClose, gt.startOffset]);
    const trialLex = tokenize(text, { notAngleClose: trial });
    const trialOutcome = parseBlocks(trialLex);
    if (rightOperandFails(trialLex, trialOutcome, gt.startOffset)) break;
    angleDiagnostics.push(angleDiagnostic(lex, gt));
    notAngleClose = trial;
    lex = trialLex;
    outcome = trialOutcome;
  }

  const diagnostics = [...angleDiagnostics, ...lex.diagnostics, ...outcome.diagnostics];
  if (lex.tokens.length === 0 && diagnostics.length === 0) {
    diagnostics.push(
      error(E.EmptyProgram, 'the program has no probes', lex.lines.span(0, 0), 'a program looks like: xdp:eth0 { @[ip.src] = count() }'),
    );
  }
  if (diagnostics.length > 0) throw new DiagnosticError(sortAndDedupe(diagnostics));
  const program: Program = { kind: 'Program', span: lex.lines.span(0, text.length), blocks: outcome.blocks };
  const tooDeep = expressionDepthDiagnostic(program);
  if (tooDeep) throw new DiagnosticError([tooDeep]);
  return program;
}
