// A program is probe blocks side by side. The lexer already knows where each top-level
// block ends (lexer/structure.ts), so the token stream is cut there and every block is
// parsed on its own: an error in one block cannot derail the parse of the next.
import type { IToken } from 'chevrotain';
import type { LexResult } from '../lexer/lexer.js';

export interface Segment {
  /** The tokens of one block (or of stray input between blocks). */
  tokens: IToken[];
  /** The text this segment owns, [from, to): lexing errors in it belong to it. */
  from: number;
  to: number;
}

export function segmentsOf(lex: LexResult): Segment[] {
  const segments: Segment[] = [];
  const ends = [...lex.blockEnds];
  const lastIndex = lex.tokens.length - 1;
  if (ends[ends.length - 1] !== lastIndex) ends.push(lastIndex); // a block left open at the end
  let start = 0;
  let from = 0;
  for (const endIndex of ends) {
    if (endIndex < start) continue;
    const tokens = lex.tokens.slice(start, endIndex + 1);
    const last = tokens[tokens.length - 1]!;
    const to = endIndex === lastIndex ? lex.text.length : last.startOffset + last.image.length;
    segments.push({ tokens, from, to });
    start = endIndex + 1;
    from = to;
  }
  return segments;
}

/** The offset of the first lexing error inside the segment's text, if any. */
export function firstLexError(lex: LexResult, seg: Segment): number | undefined {
  for (const d of lex.diagnostics) {
    const o = d.span!.start.offset;
    if (o >= seg.from && o < seg.to) return o;
  }
  return undefined;
}
