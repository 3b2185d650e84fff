// -d all's token list: each token the lexer made, with its line, column and kind.
import { tokenize } from '../../lexer/index.js';
import { LineIndex } from '../../lexer/positions.js';

export function tokenList(text: string): string {
  // The lexer keeps offsets only; lines and columns are worked out as diagnostics do.
  const lines = new LineIndex(text);
  return tokenize(text).tokens.map((t) => {
    const { line, column } = lines.position(t.startOffset);
    return `${line}:${column} ${t.tokenType.name} ${JSON.stringify(t.image)}`;
  }).join('\n') + '\n';
}
