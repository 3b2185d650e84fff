// How error messages name tokens: by what the user wrote ('foo', '}', the end of the
// program), and expected things by what they are (an expression, a statement, '}'),
// never by the grammar's token type names.
import { EOF, type IToken } from 'chevrotain';
import { allTokens } from '../lexer/tokens.js';

const LABELS = new Map<string, string>(allTokens.map((t) => [t.name, t.LABEL ?? t.name]));

export function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return 'the end of the program';
  const image = t.image.length > 24 ? `${t.image.slice(0, 24)}...` : t.image;
  return `'${image.replace(/\n/g, '\\n')}'`;
}

/** Tokens that start an expression; when all are expected, say "an expression". */
const EXPRESSION_STARTS = ['IntLit', 'Ident', 'Var', 'MapName', 'LParen', 'Bang', 'Minus', 'Tilde', 'StringLike', 'True', 'False', 'Ipv4Lit', 'Ipv6Lit', 'MacLit'];
const STATEMENT_STARTS = ['If', 'LBrace', ...EXPRESSION_STARTS];

export function describeExpected(names: string[]): string {
  let rest = [...names];
  const phrases: string[] = [];
  const absorb = (group: string[], phrase: string, markers: string[]): void => {
    if (markers.every((m) => rest.includes(m))) {
      rest = rest.filter((n) => !group.includes(n));
      phrases.push(phrase);
    }
  };
  absorb(STATEMENT_STARTS, 'a statement', ['If', 'LBrace', 'Ident', 'IntLit']);
  absorb(EXPRESSION_STARTS, 'an expression', ['Ident', 'IntLit', 'Var']);
  phrases.push(...rest.map((n) => LABELS.get(n) ?? n));
  if (phrases.length === 0) return 'something else';
  if (phrases.length === 1) return phrases[0]!;
  return `${phrases.slice(0, -1).join(', ')} or ${phrases[phrases.length - 1]}`;
}
