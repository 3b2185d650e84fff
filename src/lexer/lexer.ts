// tokenize(): text to tokens, plus the lexing diagnostics (NT0101 unknown character,
// NT0103 unterminated string, NT0104 unterminated comment) and what the Structure learnt
// about the program's top-level blocks.
import { Lexer, type ILexerConfig, type IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { E } from '../diagnostics/catalogue.js';
import { beginRun, endRun, structureOf } from './contextual.js';
import { LineIndex } from './positions.js';
import type { Frame } from './structure.js';
import { allTokens, COMMENTS, LEX_ERRORS, UnterminatedString } from './tokens.js';

/** Brackets nested deeper than this are NT0109 (later passes recurse over the AST too). */
export const MAX_NESTING = 100;

export interface LexResult {
  text: string;
  lines: LineIndex;
  /** Tokens for the parser, comments and lexing errors removed. */
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
  /** Indices into `tokens` of the tokens that close a top-level probe block. */
  blockEnds: number[];
  /** Brackets still open at the end of the input, outermost first. */
  unclosed: Frame[];
  /** The first opening bracket nested deeper than MAX_NESTING, if any. */
  tooDeep: IToken | undefined;
}

export interface TokenizeOptions {
  /** Offsets of `>` characters to lex as comparisons (see NT0105 in parser/index.ts). */
  notAngleClose?: ReadonlySet<number>;
}

let lexer: Lexer | undefined;

/**
 * The lexer's options. `validate`: chevrotain's checks of the token definitions (patterns
 * that can never match, duplicates, unoptimisable first characters), 40% of building the
 * lexer; they depend only on lexer/tokens.ts, so nettrace skips them and
 * test/unit/parser/grammar-valid.test.ts runs them.
 */
export function lexerConfig({ validate = false } = {}): ILexerConfig {
  // Positions are computed from offsets by LineIndex, so chevrotain tracks offsets only.
  return { positionTracking: 'onlyOffset', ensureOptimizations: true, skipValidations: !validate };
}

function theLexer(): Lexer {
  // Built once: chevrotain analyses the token set when the lexer is created.
  lexer ??= new Lexer(allTokens, lexerConfig());
  return lexer;
}

export function tokenize(text: string, options: TokenizeOptions = {}): LexResult {
  const lines = new LineIndex(text);
  const lexer = theLexer(); // before beginRun: building it validates the patterns outside a run
  beginRun({ notAngleClose: options.notAngleClose ?? new Set(), depthLimit: MAX_NESTING });
  try {
    const result = lexer.tokenize(text);
    // Offset-only tracking leaves endOffset unset; the parser's CST locations need it.
    for (const t of result.tokens) t.endOffset = t.startOffset + t.image.length - 1;
    const structure = structureOf(result.tokens);
    const diagnostics: Diagnostic[] = [];

    for (const e of result.errors) {
      const bad = text.slice(e.offset, e.offset + e.length);
      diagnostics.push(
        error(
          E.UnknownCharacter,
          bad.length === 1 ? `unexpected character '${bad}'` : `unexpected characters '${shorten(bad)}'`,
          lines.span(e.offset, e.offset + e.length),
          hintForStrayCharacters(bad),
        ),
      );
    }
    for (const t of result.groups[LEX_ERRORS] ?? []) {
      diagnostics.push(
        error(
          E.UnterminatedComment,
          'this /* comment is never closed',
          lines.span(t.startOffset, t.startOffset + 2),
          'a block comment ends with */',
        ),
      );
    }
    for (const t of result.tokens) {
      if (t.tokenType === UnterminatedString) {
        diagnostics.push(
          error(
            E.UnterminatedString,
            'this string has no closing quote',
            lines.span(t.startOffset, t.startOffset + t.image.length),
            'a string ends with " on the same line',
          ),
        );
      }
    }
    diagnostics.sort((a, b) => a.span!.start.offset - b.span!.start.offset);

    return {
      text,
      lines,
      tokens: result.tokens,
      comments: result.groups[COMMENTS] ?? [],
      diagnostics,
      blockEnds: [...structure.blockEnds],
      unclosed: [...structure.stack],
      tooDeep: structure.tooDeep,
    };
  } finally {
    endRun();
  }
}

function shorten(s: string): string {
  return s.length > 20 ? `${s.slice(0, 20)}...` : s;
}

function hintForStrayCharacters(bad: string): string {
  if (bad.startsWith('#')) return 'comments start with // or /* ... */';
  if (bad.startsWith("'")) return 'strings are written in double quotes: "text"';
  if (bad.startsWith('$')) return 'a variable is written $name, starting with a letter or _';
  if (bad.startsWith('`')) return 'backquotes are not part of the language';
  return '';
}
