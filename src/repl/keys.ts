// Keys as the prompt understands them. Ink hands over one keypress, or a whole chunk of
// text when it arrives at once (a paste, tmux send-keys): that text is split here into
// inserts and Enters, so a pasted program with newlines behaves as if typed.
import type { Key } from 'ink';
import type { EditAction } from './line-editor.js';

export type Intent =
  | EditAction
  | { type: 'enter' }
  | { type: 'tab' }
  | { type: 'interrupt' }
  | { type: 'eof' }
  | { type: 'escape' };

const CTRL: Record<string, Intent> = {
  a: { type: 'lineStart' },
  e: { type: 'lineEnd' },
  b: { type: 'left' },
  f: { type: 'right' },
  u: { type: 'killToLineStart' },
  k: { type: 'killToLineEnd' },
  w: { type: 'killWordBack' },
  p: { type: 'historyPrev' },
  n: { type: 'historyNext' },
  c: { type: 'interrupt' },
  d: { type: 'eof' },
};

export function toIntents(input: string, key: Key): Intent[] {
  if (key.return) return [{ type: 'enter' }];
  if (key.tab) return key.shift ? [] : [{ type: 'tab' }];
  // Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return [key.meta ? { type: 'killWordBack' } : { type: 'backspace' }];
  if (key.leftArrow) return [key.ctrl || key.meta ? { type: 'wordLeft' } : { type: 'left' }];
  if (key.rightArrow) return [key.ctrl || key.meta ? { type: 'wordRight' } : { type: 'right' }];
  if (key.upArrow) return [{ type: 'up' }];
  if (key.downArrow) return [{ type: 'down' }];
  if (key.home) return [{ type: 'lineStart' }];
  if (key.end) return [{ type: 'lineEnd' }];
  if (key.escape && input === '') return [{ type: 'escape' }];
  if (key.ctrl) return CTRL[input] ? [CTRL[input]!] : [];
  if (key.meta && input === 'b') return [{ type: 'wordLeft' }];
  if (key.meta && input === 'f') return [{ type: 'wordRight' }];
  if (key.meta) return [];
  return textIntents(input);
}

/** Plain text, possibly several characters with line breaks and control characters in it. */
export function textIntents(input: string): Intent[] {
  const intents: Intent[] = [];
  let run = '';
  const flush = () => {
    if (run) intents.push({ type: 'insert', text: run });
    run = '';
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\r' || c === '\n') {
      flush();
      intents.push({ type: 'enter' });
      if (c === '\r' && input[i + 1] === '\n') i++;
    } else if (c === '\t') {
      // A tab inside pasted text is indentation, not a completion request.
      if (input.length === 1) {
        flush();
        intents.push({ type: 'tab' });
      } else run += ' ';
    } else if (c === '\x7f' || c === '\b') {
      flush();
      intents.push({ type: 'backspace' });
    } else if (c === '\x03') {
      flush();
      intents.push({ type: 'interrupt' });
    } else if (c === '\x04') {
      flush();
      intents.push({ type: 'eof' });
    } else if (c >= ' ') {
      run += c;
    }
  }
  flush();
  return intents;
}
