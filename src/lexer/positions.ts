// Offsets to 1-based line/column. Chevrotain can track lines itself, but computing positions
// from a table of line starts keeps one definition of "column" for every stage (lexer
// errors, parser errors, AST spans) and lets the lexer run in its cheaper offset-only mode.
import type { Position, Span } from '../model/ast.js';

export class LineIndex {
  /** Offset at which each line starts; lines end at '\n' (a '\r' before it is just text). */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    // A non-finite offset would be a bug upstream; pin it to the end rather than emit NaN.
    const clamped = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : this.text.length;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { offset: clamped, line: lo + 1, column: clamped - this.starts[lo]! + 1 };
  }

  /** `end` is exclusive, as in every Span. */
  span(start: number, end: number): Span {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
}
