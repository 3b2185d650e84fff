// NT0105: in a `< ... >` block a `>` at statement level closes the block, so
// `xdp:eth0 < $x = ip.len > 100; @a = count() >` ends the block after `ip.len`.
//
// Detection, in two steps:
//   1. Suspect: the block before ended with `>`, and the next "block" fails to parse before
//      its own opening bracket, without even starting like a probe (a probe with ':' or
//      BEGIN/END). Plain names count as not probe-like: in `$x = a > b >`, `b` lexes as a
//      probe but is the comparison's right-hand side.
//   2. Confirm: re-lex with that `>` as a comparison (tokenize's notAngleClose) and parse
//      again. If the token after the `>` now parses as its right-hand side, report NT0105
//      and keep the new reading, so the rest of the program is checked as meant. If not
//      (`xdp:eth0 < @a = 1 > )`), the `>` did close the block and the stray token is the error.
import type { IToken } from 'chevrotain';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LexResult } from '../lexer/lexer.js';
import * as T from '../lexer/tokens.js';
import type { Outcome } from './blocks.js';
import type { SyntaxIssue } from './errors.js';
import type { Segment } from './segments.js';

export const ANGLE_HINT =
  'in a `< ... >` block a `>` at statement level closes the block; put the comparison in parentheses: `(a > b)`';

/** Step 1: the segment after `previousCloser` looks like the tail of a comparison. */
export function looksLikeMisusedAngle(previousCloser: IToken | undefined, seg: Segment, issues: SyntaxIssue[]): boolean {
  if (previousCloser?.tokenType !== T.AngleClose || issues.length === 0) return false;
  const first = seg.tokens[0]!;
  const probeLike = first.tokenType === T.Probe && (first.image.includes(':') || first.image === 'BEGIN' || first.image === 'END');
  if (probeLike) return false;
  const opener = seg.tokens.find((t) => t.tokenType === T.LBrace || t.tokenType === T.AngleOpen);
  return !opener || issues[0]!.offset < opener.startOffset;
}

/** Step 2: with the `>` at `offset` read as an operator, does the token after it fail to parse? */
export function rightOperandFails(lex: LexResult, outcome: Outcome, offset: number): boolean {
  const index = lex.tokens.findIndex((t) => t.startOffset === offset);
  const next = lex.tokens[index + 1];
  if (index === -1 || next === undefined) return true;
  return outcome.diagnostics.some((d) => d.span?.start.offset === next.startOffset);
}

export function angleDiagnostic(lex: LexResult, gt: IToken): Diagnostic {
  return error(
    E.AngleComparison,
    "this '>' ends the `< ... >` block, but the program goes on as if it were a comparison",
    lex.lines.span(gt.startOffset, gt.startOffset + 1),
    ANGLE_HINT,
  );
}
