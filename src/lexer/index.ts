// The lexer's public face: tokenize() and the token types the parser is built from.
export { tokenize, MAX_NESTING, type LexResult, type TokenizeOptions } from './lexer.js';
export { LineIndex } from './positions.js';
export * as tokens from './tokens.js';
