// Parse every top-level segment with the grammar's probeBlock rule and build the AST of
// those that parsed cleanly. Also spots the NT0105 pattern (see angle.ts), which the
// caller then tests by re-lexing.
import type { CstNode, IToken } from 'chevrotain';
import type { ProbeBlock } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_NESTING, type LexResult } from '../lexer/lexer.js';
import * as T from '../lexer/tokens.js';
import { looksLikeMisusedAngle } from './angle.js';
import { AstBuilder } from './build-ast.js';
import { toIssue, type SyntaxIssue } from './errors.js';
import { grammar } from './grammar.js';
import { firstLexError, segmentsOf, type Segment } from './segments.js';
import { filterCascades } from './triage.js';

export interface Outcome {
  blocks: ProbeBlock[];
  diagnostics: Diagnostic[];
  /** The first block-closing `>` that was most likely meant as a comparison (NT0105). */
  misusedAngle?: IToken;
}

export function parseBlocks(lex: LexResult): Outcome {
  const blocks: ProbeBlock[] = [];
  const diagnostics: Diagnostic[] = [];
  let previousFailed = false;
  let previousCloser: IToken | undefined;
  let misusedAngle: IToken | undefined;

  for (const seg of segmentsOf(lex)) {
    const lexErrorAt = firstLexError(lex, seg);
    const first = seg.tokens[0]!;
    const closer = seg.tokens[seg.tokens.length - 1]!;
    const { cst, issues } = parseSegment(lex, seg, lexErrorAt);

    if (!misusedAngle && looksLikeMisusedAngle(previousCloser, seg, issues)) misusedAngle = previousCloser;

    // Tokens left over after a broken block are not worth a second complaint.
    const cascade: boolean = previousFailed && first.tokenType !== T.Probe;
    if (!cascade) diagnostics.push(...issues.map((i) => i.diagnostic));
    const failed: boolean = issues.length > 0 || lexErrorAt !== undefined || cascade;

    if (!failed && cst) {
      const builder = new AstBuilder(lex.lines);
      blocks.push(builder.probeBlock(cst));
      diagnostics.push(...builder.diagnostics);
    }
    previousFailed = failed;
    previousCloser = closer.tokenType === T.RBrace || closer.tokenType === T.AngleClose ? closer : undefined;
  }
  return { blocks, diagnostics, ...(misusedAngle ? { misusedAngle } : {}) };
}

function parseSegment(lex: LexResult, seg: Segment, lexErrorAt: number | undefined): { cst?: CstNode; issues: SyntaxIssue[] } {
  const deep = lex.tooDeep;
  if (deep && deep.startOffset >= seg.from && deep.startOffset < seg.to) {
    // Not parsed at all: the recursion would be as deep as the brackets.
    const diagnostic = error(
      E.TooDeeplyNested,
      `brackets nested more than ${MAX_NESTING} deep`,
      lex.lines.span(deep.startOffset, deep.startOffset + deep.image.length),
      'split the expression into $variables',
    );
    return { issues: [{ offset: deep.startOffset, atEnd: false, diagnostic }] };
  }
  const g = grammar();
  g.input = seg.tokens;
  const cst = g.probeBlock();
  const view = { lines: lex.lines, tokens: seg.tokens, endOffset: seg.to };
  return { cst, issues: filterCascades(g.errors.map((e) => toIssue(e, view)), seg.tokens, lexErrorAt) };
}
