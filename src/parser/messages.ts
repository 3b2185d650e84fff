// Chevrotain builds an error message string at the moment it detects an error. Ours does
// not write prose there: it records *what was expected* as JSON, and errors.ts, which also
// knows the source text, the lexer's bracket structure and the block boundaries, writes
// the message a user reads. Nothing outside the parser ever sees these strings.
import type { IParserErrorMessageProvider, TokenType } from 'chevrotain';

export interface ErrorPayload {
  /** Token type names that would have been accepted, in grammar order, without repeats. */
  expected: string[];
  /** The grammar rule that was being parsed. */
  rule: string;
}

function encode(expected: TokenType[], rule: string): string {
  const names: string[] = [];
  for (const t of expected) if (!names.includes(t.name)) names.push(t.name);
  const payload: ErrorPayload = { expected: names, rule };
  return JSON.stringify(payload);
}

export function decode(message: string): ErrorPayload {
  try {
    const p = JSON.parse(message) as Partial<ErrorPayload>;
    return { expected: Array.isArray(p.expected) ? p.expected : [], rule: typeof p.rule === 'string' ? p.rule : '' };
  } catch {
    return { expected: [], rule: '' };
  }
}

/** The first token of each path: what the parser could have taken next. */
function firsts(paths: TokenType[][]): TokenType[] {
  return paths.flatMap((p) => (p.length > 0 ? [p[0]!] : []));
}

export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) => encode([expected], ruleName),
  buildNotAllInputParsedMessage: ({ ruleName }) => encode([], ruleName),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) => encode(expectedPathsPerAlt.flatMap(firsts), ruleName),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) => encode(firsts(expectedIterationPaths), ruleName),
};
