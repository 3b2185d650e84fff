// Chevrotain's recognition exceptions to Diagnostics: a human message (tokens named by
// their text), a span on the offending token (or just after the last token when the input
// ran out), and hints where the structure tells us more, such as which bracket is unclosed.
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Span } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineIndex } from '../lexer/positions.js';
import * as T from '../lexer/tokens.js';
import { describeExpected, describeToken } from './describe.js';
import { decode } from './messages.js';

export interface SegmentView {
  lines: LineIndex;
  /** The tokens of one top-level block, as given to the parser. */
  tokens: IToken[];
  /** Where the text of this block ends (exclusive), for errors at the end of the input. */
  endOffset: number;
}

/** A syntax error with the offset it sits at, for ordering and cascade filtering. */
export interface SyntaxIssue {
  offset: number;
  atEnd: boolean;
  diagnostic: Diagnostic;
}

const OPENER_OF: Record<string, string> = {
  RBrace: 'LBrace',
  RParen: 'LParen',
  RBracket: 'LBracket',
  AngleClose: 'AngleOpen',
};
const CLOSER_OF: Record<string, string> = { LBrace: 'RBrace', LParen: 'RParen', LBracket: 'RBracket', AngleOpen: 'AngleClose' };

/** Tokens after which a statement list is empty or complete, so only a statement or the closer fits. */
const STATEMENT_BOUNDARY = new Set(['LBrace', 'AngleOpen', 'Semi', 'RBrace']);

export function toIssue(e: IRecognitionException, seg: SegmentView): SyntaxIssue {
  const { expected, rule } = decode(e.message);
  const token = e.token;
  const atEnd = token.tokenType === EOF || Number.isNaN(token.startOffset);
  const index = atEnd ? seg.tokens.length : seg.tokens.indexOf(token);
  const previous = index > 0 ? seg.tokens[index - 1] : undefined;
  const found = describeToken(token);

  let span: Span;
  let offset: number;
  if (atEnd) {
    offset = previous ? previous.startOffset + previous.image.length : seg.endOffset;
    span = seg.lines.span(offset, offset);
  } else {
    offset = token.startOffset;
    span = seg.lines.span(offset, offset + token.image.length);
  }

  let message: string;
  const hints: string[] = [];
  if (e.name === 'NotAllInputParsedException') {
    message = `unexpected ${found} after the end of the probe block`;
  } else if (expected.length === 1 && expected[0] === 'Probe') {
    message = `expected a probe such as xdp:eth0 or BEGIN but found ${found}`;
    hints.push('a program is a list of probe blocks: `xdp:eth0 { ... }` or `xdp:eth0 < ... >`');
  } else if (expected.length === 1 && (expected[0] === 'RBrace' || expected[0] === 'AngleClose')) {
    const closer = expected[0] === 'RBrace' ? "'}'" : "'>'";
    const before = previous && STATEMENT_BOUNDARY.has(previous.tokenType.name) ? 'a statement' : "';'";
    message = `expected ${before} or ${closer} but found ${found}`;
  } else if (rule === 'probeBlock' && expected.includes('LBrace') && expected.includes('AngleOpen')) {
    message = `expected '{' or '<' to open the probe's block but found ${found}`;
  } else {
    message = `expected ${describeExpected(expected)} but found ${found}`;
  }

  for (const name of expected) {
    const hint = unclosedHint(name, seg, index);
    if (hint) hints.push(hint);
  }
  hints.push(...contextHints(expected, token, previous, rule));
  return { offset, atEnd, diagnostic: error(E.UnexpectedToken, message, span, ...hints) };
}

/** "the '{' at 1:10 is not closed", when `closerName` is expected and an opener is pending. */
function unclosedHint(closerName: string, seg: SegmentView, index: number): string | undefined {
  if (closerName === 'PredDelim') {
    const open = seg.tokens.slice(0, index).filter((t) => t.tokenType === T.PredDelim);
    if (open.length % 2 === 1) return `the predicate that starts with '/' at ${at(seg, open[open.length - 1]!)} is not closed`;
    return undefined;
  }
  const wanted = OPENER_OF[closerName];
  if (!wanted) return undefined;
  // The innermost pending opener of the wanted kind at the error, mentioned only when it
  // really is never closed (`if (a = 1)` has its ')' later: no hint there).
  const pendingAt = (upto: number): { stack: IToken[]; unbalanced: Set<IToken> } => {
    const stack: IToken[] = [];
    const unbalanced = new Set<IToken>();
    for (const t of seg.tokens.slice(0, upto)) {
      const name = t.tokenType.name;
      if (CLOSER_OF[name]) stack.push(t);
      else if (OPENER_OF[name]) {
        const match = stack.map((o) => o.tokenType.name).lastIndexOf(OPENER_OF[name]!);
        if (match !== -1) {
          for (const skipped of stack.slice(match + 1)) unbalanced.add(skipped);
          stack.length = match;
        }
      }
    }
    for (const t of stack) unbalanced.add(t);
    return { stack, unbalanced };
  };
  const opener = [...pendingAt(index).stack].reverse().find((t) => t.tokenType.name === wanted);
  if (!opener || !pendingAt(seg.tokens.length).unbalanced.has(opener)) return undefined;
  const what = wanted === 'AngleOpen' ? "the '<' that opens this block" : `the '${opener.image}'`;
  return `${what} at ${at(seg, opener)} is not closed`;
}

function contextHints(expected: string[], token: IToken, previous: IToken | undefined, rule: string): string[] {
  const hints: string[] = [];
  if (rule === 'probeBlock' && previous?.tokenType === T.PredDelim && expected.includes('LBrace')) {
    hints.push("a '/' outside parentheses ends the predicate; write a division inside one in parentheses: /(a / b) > 1/");
  }
  if (previous?.tokenType === T.Probe && previous.image.endsWith(':') && token.tokenType !== EOF) {
    hints.push('a probe is written without spaces, as in xdp:eth0');
  }
  if (rule === 'ifStmt' && expected.length === 1 && expected[0] === 'LParen') {
    hints.push('the condition of an if is written in parentheses: if (a > b) { ... }');
  }
  if (token.tokenType === T.Assign && expected.includes('RParen')) {
    hints.push('to compare, write ==');
  }
  return hints;
}

function at(seg: SegmentView, t: IToken): string {
  const p = seg.lines.position(t.startOffset);
  return `${p.line}:${p.column}`;
}
