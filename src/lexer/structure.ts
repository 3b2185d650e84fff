// The bracket structure of the token stream, tracked while lexing.
//
// Three tokens mean different things depending on where they stand, and only the tokens
// before them can tell:
//   - a probe (`xdp:eth0`, `interval:s:1`) is lexed only in *probe position*: at the start
//     of the input, after the `}` or `>` that closes a probe block, or after a `,` in a
//     probe list. Everywhere else `a ? b:c`, `1:2` and `fe80::1` lex as expressions.
//   - `<` at top level (outside any block and outside a predicate) opens a one-liner block;
//     `>` closes that block when it stands at the block's statement level, i.e. when the
//     innermost open bracket is that `<`. Inside (), [] or {} it is a comparison.
//   - `/` at top level delimits a predicate; inside brackets it divides.
//
// The custom token patterns in contextual.ts consult one Structure per tokenize() call.
// Chevrotain hands each custom pattern the array of tokens matched so far; the Structure
// feeds itself the tokens it has not seen yet, so the work per call is O(1) amortised
// (closing brackets scan at most MAX_SCAN frames, see popTo).
//
// The same pass records where each top-level probe block ends; the parser parses those
// segments one by one, so an error in one block does not hide errors in the next.
import type { IToken } from 'chevrotain';

export type FrameKind = 'block' | 'angle' | 'brace' | 'paren' | 'bracket';

export interface Frame {
  kind: FrameKind;
  token: IToken;
}

/**
 * How far a closing bracket looks down the stack for its opener. Real programs nest a few
 * levels; the limit keeps adversarial input (thousands of unmatched brackets) linear.
 */
const MAX_SCAN = 256;

export class Structure {
  readonly stack: Frame[] = [];
  /** Between the two `/` of a predicate (top level only). */
  inPredicate = false;
  /** The next token may be a probe. */
  probePosition = true;
  /** Indices of the tokens that close a top-level probe block (`}` or the block's `>`). */
  readonly blockEnds: number[] = [];
  /** The deepest nesting seen, and the opener that first went past `limit`. */
  tooDeep: IToken | undefined;
  private fed = 0;
  /** The token type before the one being fed: `{` after `in` opens a set, not a block. */
  private previous = '';

  constructor(private readonly depthLimit = Number.POSITIVE_INFINITY) {}

  /** The innermost open bracket, if any. */
  get top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Feed every token of `tokens` not yet seen. `tokens` must only ever grow. */
  catchUp(tokens: readonly IToken[]): void {
    while (this.fed < tokens.length) {
      const index = this.fed++;
      this.feed(tokens[index]!, index);
      this.previous = tokens[index]!.tokenType.name;
    }
  }

  private feed(tok: IToken, index: number): void {
    const name = tok.tokenType.name;
    if (this.stack.length === 0) {
      this.feedTopLevel(tok, name, index);
      return;
    }
    switch (name) {
      case 'LBrace':
        this.push('brace', tok);
        break;
      case 'LParen':
        this.push('paren', tok);
        break;
      case 'LBracket':
        this.push('bracket', tok);
        break;
      case 'RBrace':
        // A `}` may skip unclosed ( and [ (e.g. `{ f(x }`), so the rest of the program
        // still lexes at the right level; it never closes a `<` block.
        this.popTo(index, ['brace', 'block'], ['angle']);
        break;
      case 'RParen':
        this.popTo(index, ['paren'], ['brace', 'block', 'angle']);
        break;
      case 'RBracket':
        this.popTo(index, ['bracket'], ['brace', 'block', 'angle']);
        break;
      case 'AngleClose':
        this.popTo(index, ['angle'], []);
        break;
      default:
        break;
    }
  }

  private feedTopLevel(tok: IToken, name: string, index: number): void {
    switch (name) {
      case 'Comma':
        this.probePosition = !this.inPredicate;
        return;
      case 'PredDelim':
        this.inPredicate = !this.inPredicate;
        break;
      case 'LBrace':
        // `ip.src in {10.0.0.1, 10.0.0.2}` in a predicate: a set literal, a bracket.
        if (this.inPredicate && this.previous === 'In') {
          this.push('brace', tok);
          break;
        }
        // Anywhere else `{` cannot occur in an expression, so it opens the block even when
        // the predicate was never closed; the parser reports the missing `/`.
        this.inPredicate = false;
        this.push('block', tok);
        break;
      case 'AngleOpen':
        this.push('angle', tok);
        break;
      case 'LParen':
        this.push('paren', tok);
        break;
      case 'LBracket':
        this.push('bracket', tok);
        break;
      case 'RBrace':
        // A stray `}` (typically after a block that a mismatched bracket closed early):
        // treat it as the end of a block so the probes after it lex and parse as probes.
        this.blockEnds.push(index);
        this.probePosition = true;
        this.inPredicate = false;
        return;
      default:
        break;
    }
    this.probePosition = false;
  }

  private push(kind: FrameKind, token: IToken): void {
    this.stack.push({ kind, token });
    if (this.stack.length > this.depthLimit && this.tooDeep === undefined) this.tooDeep = token;
  }

  /** Close the nearest frame of one of `kinds`, unless a `barriers` frame comes first. */
  private popTo(index: number, kinds: FrameKind[], barriers: FrameKind[]): void {
    const stop = Math.max(0, this.stack.length - MAX_SCAN);
    for (let i = this.stack.length - 1; i >= stop; i--) {
      const kind = this.stack[i]!.kind;
      if (kinds.includes(kind)) {
        this.stack.length = i;
        if (i === 0 && (kind === 'block' || kind === 'angle')) {
          this.blockEnds.push(index);
          this.probePosition = true;
          this.inPredicate = false;
        }
        return;
      }
      if (barriers.includes(kind)) return;
    }
  }
}
