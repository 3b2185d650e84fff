// Every token of the language. The order of `allTokens` is the order the lexer tries them
// in: first match wins, so longer operators precede their prefixes, the contextual tokens
// (probe, `<`/`>` of a one-liner block, predicate `/`) precede the plain ones they shadow,
// and address literals precede numbers and identifiers.
//
// LABEL is what error messages call a token ("expected ';' but found ..."): the literal
// text in quotes for punctuation, a short phrase for classes of tokens.
import { createToken, Lexer, type TokenType } from 'chevrotain';
import {
  matchAngleClose,
  matchAngleOpen,
  matchPredicateDelimiter,
  matchProbe,
  matchShebang,
} from './contextual.js';
import { matchIpv4, matchIpv6, matchMac } from './literal-patterns.js';

/** Token groups kept out of the parser's input. */
export const COMMENTS = 'comments';
export const LEX_ERRORS = 'lexErrors';

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'];
const DIGITS = [...'0123456789'];
const HEX_LETTERS = [...'abcdefABCDEF'];

// ---- categories (no pattern of their own) ----

/** Anything that can name a field after `.` or `->`: identifiers and keywords. */
export const AnyName = createToken({ name: 'AnyName', pattern: Lexer.NA, label: 'a name' });
/** Every binary operator; the parser takes any of them, build-ast applies precedence. */
export const BinaryOp = createToken({ name: 'BinaryOp', pattern: Lexer.NA, label: 'an operator' });
/** `=` and the compound assignments `+=` ... `>>=`. */
export const AssignOp = createToken({ name: 'AssignOp', pattern: Lexer.NA, label: "'='" });
/** String literals, including an unterminated one (reported by the lexer, parsed on). */
export const StringLike = createToken({ name: 'StringLike', pattern: Lexer.NA, label: 'a string' });

// ---- trivia ----

/** Includes U+FEFF so a byte-order mark that an editor put at the top of a file is ignored. */
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const Shebang = createToken({
  name: 'Shebang',
  pattern: { exec: matchShebang },
  start_chars_hint: ['#'],
  group: COMMENTS,
  line_breaks: false,
});
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, group: COMMENTS });
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: COMMENTS,
  line_breaks: true,
});
/** A `/*` with no `*\/`: swallows the rest of the input and becomes NT0104. */
export const UnterminatedComment = createToken({
  name: 'UnterminatedComment',
  pattern: /\/\*[\s\S]*/,
  group: LEX_ERRORS,
  line_breaks: true,
});

// ---- contextual tokens (see structure.ts) ----

export const Probe = createToken({
  name: 'Probe',
  pattern: { exec: matchProbe },
  start_chars_hint: LETTERS,
  line_breaks: false,
  label: 'a probe',
});
export const AngleOpen = createToken({
  name: 'AngleOpen',
  pattern: { exec: matchAngleOpen },
  start_chars_hint: ['<'],
  line_breaks: false,
  label: "'<'",
});
export const AngleClose = createToken({
  name: 'AngleClose',
  pattern: { exec: matchAngleClose },
  start_chars_hint: ['>'],
  line_breaks: false,
  label: "'>'",
});
export const PredDelim = createToken({
  name: 'PredDelim',
  pattern: { exec: matchPredicateDelimiter },
  start_chars_hint: ['/'],
  line_breaks: false,
  label: "'/'",
});

// ---- literals ----

export const StringLit = createToken({
  name: 'StringLit',
  pattern: /"(?:[^"\\\n]|\\.)*"/,
  categories: [StringLike],
  label: 'a string',
});
/** Runs to the end of the line; becomes NT0103, and the parser treats it as a string. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n]|\\.)*\\?/,
  categories: [StringLike],
  label: 'a string',
});
export const MacLit = createToken({
  name: 'MacLit',
  pattern: { exec: matchMac },
  start_chars_hint: [...DIGITS, ...HEX_LETTERS],
  line_breaks: false,
  label: 'a MAC address',
});
export const Ipv6Lit = createToken({
  name: 'Ipv6Lit',
  pattern: { exec: matchIpv6 },
  start_chars_hint: [...DIGITS, ...HEX_LETTERS, ':'],
  line_breaks: false,
  label: 'an IPv6 address',
});
export const Ipv4Lit = createToken({
  name: 'Ipv4Lit',
  pattern: { exec: matchIpv4 },
  start_chars_hint: DIGITS,
  line_breaks: false,
  label: 'an IPv4 address',
});
/**
 * Digits followed by any name characters: `123abc` is one malformed number (NT0106)
 * rather than a number glued to an identifier. Values are decoded in parser/literals.ts.
 */
export const IntLit = createToken({ name: 'IntLit', pattern: /[0-9][0-9A-Za-z_]*/, label: 'a number' });

// ---- names ----

export const Ident = createToken({
  name: 'Ident',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [AnyName],
  label: 'a name',
});

function keyword(name: string, word: string, extra: TokenType[] = []): TokenType {
  return createToken({ name, pattern: word, longer_alt: Ident, categories: [AnyName, ...extra], label: `'${word}'` });
}

export const If = keyword('If', 'if');
export const Else = keyword('Else', 'else');
export const In = keyword('In', 'in', [BinaryOp]);
export const True = keyword('True', 'true');
export const False = keyword('False', 'false');
export const Struct = keyword('Struct', 'struct');
export const Union = keyword('Union', 'union');
export const Enum = keyword('Enum', 'enum');

// `$1`, `$2` ... and `$#` are the positional parameters (check/positional.ts).
export const Var = createToken({ name: 'Var', pattern: /\$(?:[A-Za-z_][A-Za-z0-9_]*|\d+|#)/, label: 'a $variable' });
/** `@name`, or `@` alone for the anonymous map. */
export const MapName = createToken({ name: 'MapName', pattern: /@(?:[A-Za-z_][A-Za-z0-9_]*)?/, label: 'a @map' });

// ---- operators and punctuation ----

function punct(name: string, text: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: text, label: `'${text}'`, categories });
}

export const ShlAssign = punct('ShlAssign', '<<=', [AssignOp]);
export const ShrAssign = punct('ShrAssign', '>>=', [AssignOp]);
export const Shl = punct('Shl', '<<', [BinaryOp]);
export const Shr = punct('Shr', '>>', [BinaryOp]);
export const Le = punct('Le', '<=', [BinaryOp]);
export const Ge = punct('Ge', '>=', [BinaryOp]);
export const EqEq = punct('EqEq', '==', [BinaryOp]);
export const NotEq = punct('NotEq', '!=', [BinaryOp]);
export const AndAnd = punct('AndAnd', '&&', [BinaryOp]);
export const OrOr = punct('OrOr', '||', [BinaryOp]);
export const PlusPlus = punct('PlusPlus', '++');
export const MinusMinus = punct('MinusMinus', '--');
export const PlusAssign = punct('PlusAssign', '+=', [AssignOp]);
export const MinusAssign = punct('MinusAssign', '-=', [AssignOp]);
export const StarAssign = punct('StarAssign', '*=', [AssignOp]);
export const SlashAssign = punct('SlashAssign', '/=', [AssignOp]);
export const PercentAssign = punct('PercentAssign', '%=', [AssignOp]);
export const AmpAssign = punct('AmpAssign', '&=', [AssignOp]);
export const PipeAssign = punct('PipeAssign', '|=', [AssignOp]);
export const CaretAssign = punct('CaretAssign', '^=', [AssignOp]);
export const Arrow = punct('Arrow', '->');
export const Lt = punct('Lt', '<', [BinaryOp]);
export const Gt = punct('Gt', '>', [BinaryOp]);
export const Assign = punct('Assign', '=', [AssignOp]);
export const Plus = punct('Plus', '+', [BinaryOp]);
export const Minus = punct('Minus', '-', [BinaryOp]);
export const Star = punct('Star', '*', [BinaryOp]);
export const Slash = punct('Slash', '/', [BinaryOp]);
export const Percent = punct('Percent', '%', [BinaryOp]);
export const Amp = punct('Amp', '&', [BinaryOp]);
export const Pipe = punct('Pipe', '|', [BinaryOp]);
export const Caret = punct('Caret', '^', [BinaryOp]);
export const Bang = punct('Bang', '!');
export const Tilde = punct('Tilde', '~');
export const Question = punct('Question', '?');
export const Colon = punct('Colon', ':');
export const Semi = punct('Semi', ';');
export const Comma = punct('Comma', ',');
export const Dot = punct('Dot', '.');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');

/** Compound assignment tokens and the arithmetic they stand for. */
export const COMPOUND_ASSIGN: ReadonlyArray<[TokenType, string]> = [
  [PlusAssign, '+'],
  [MinusAssign, '-'],
  [StarAssign, '*'],
  [SlashAssign, '/'],
  [PercentAssign, '%'],
  [AmpAssign, '&'],
  [PipeAssign, '|'],
  [CaretAssign, '^'],
  [ShlAssign, '<<'],
  [ShrAssign, '>>'],
];

export const allTokens: TokenType[] = [
  WhiteSpace,
  Shebang,
  LineComment,
  BlockComment,
  UnterminatedComment,
  Probe,
  AngleOpen,
  AngleClose,
  PredDelim,
  StringLit,
  UnterminatedString,
  MacLit,
  Ipv6Lit,
  Ipv4Lit,
  IntLit,
  If,
  Else,
  In,
  True,
  False,
  Struct,
  Union,
  Enum,
  Ident,
  Var,
  MapName,
  ShlAssign,
  ShrAssign,
  Shl,
  Shr,
  Le,
  Ge,
  EqEq,
  NotEq,
  AndAnd,
  OrOr,
  PlusPlus,
  MinusMinus,
  PlusAssign,
  MinusAssign,
  StarAssign,
  SlashAssign,
  PercentAssign,
  AmpAssign,
  PipeAssign,
  CaretAssign,
  Arrow,
  Lt,
  Gt,
  Assign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Amp,
  Pipe,
  Caret,
  Bang,
  Tilde,
  Question,
  Colon,
  Semi,
  Comma,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  // Categories last: they match nothing themselves but must be known to the lexer.
  AnyName,
  BinaryOp,
  AssignOp,
  StringLike,
];
