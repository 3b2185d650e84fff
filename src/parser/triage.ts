// Which syntax errors to show. Error recovery finds real second errors, but also follow-on
// errors that only exist because of the first; these rules keep the former.
import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import * as T from '../lexer/tokens.js';
import type { SyntaxIssue } from './errors.js';

/**
 * Keep the errors that are news: drop those at or after a lexing error (the missing
 * characters explain them), errors at the end of the input when an earlier one exists
 * (recovery running out of tokens), and errors before the parser got past a statement
 * boundary (';' or '}') since the previous one: those are recovery's guesses going wrong.
 */
export function filterCascades(issues: SyntaxIssue[], tokens: IToken[], lexErrorAt: number | undefined): SyntaxIssue[] {
  const sorted = [...issues].sort((a, b) => a.offset - b.offset);
  const kept: SyntaxIssue[] = [];
  for (const issue of sorted) {
    if (lexErrorAt !== undefined && issue.offset >= lexErrorAt) continue;
    const last = kept[kept.length - 1];
    if (last !== undefined) {
      if (issue.atEnd || issue.offset === last.offset) continue;
      const resynced = tokens.some(
        (t) => (t.tokenType === T.Semi || t.tokenType === T.RBrace) && t.startOffset >= last.offset && t.startOffset < issue.offset,
      );
      if (!resynced) continue;
    }
    kept.push(issue);
  }
  return kept;
}

/** In source order; one diagnostic per code and position. */
export function sortAndDedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.start.offset ?? -1) - (b.d.span?.start.offset ?? -1) || a.i - b.i)
    .map(({ d }) => d)
    .filter((d) => {
      const key = `${d.code}@${d.span?.start.offset ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
