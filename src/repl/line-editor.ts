// The prompt's text and cursor, edited the way readline does it. Pure: every action
// returns a new state, so the editing rules are tested without a terminal.

export interface EditorState {
  /** The whole entry; multi-line entries hold '\n'. */
  text: string;
  /** Offset into text. */
  cursor: number;
  /** Older entries, oldest first. */
  history: readonly string[];
  /** Which history entry is shown; history.length means the draft. */
  historyIndex: number;
  /** What was being typed before walking into history. */
  draft: string;
}

export type EditAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'deleteForward' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'wordLeft' }
  | { type: 'wordRight' }
  | { type: 'lineStart' }
  | { type: 'lineEnd' }
  | { type: 'killToLineStart' }
  | { type: 'killToLineEnd' }
  | { type: 'killWordBack' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'historyPrev' }
  | { type: 'historyNext' }
  | { type: 'set'; text: string; cursor: number }
  | { type: 'clear' };

export function initialEditor(history: readonly string[] = []): EditorState {
  return { text: '', cursor: 0, history, historyIndex: history.length, draft: '' };
}

/** After Enter: an empty line, the history holding the new entry, the draft forgotten. */
export function submitted(history: readonly string[]): EditorState {
  return initialEditor(history);
}

export function edit(s: EditorState, action: EditAction): EditorState {
  const { text, cursor } = s;
  switch (action.type) {
    case 'insert':
      return { ...s, text: text.slice(0, cursor) + action.text + text.slice(cursor), cursor: cursor + action.text.length };
    case 'backspace':
      return cursor === 0 ? s : { ...s, text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
    case 'deleteForward':
      return cursor === text.length ? s : { ...s, text: text.slice(0, cursor) + text.slice(cursor + 1) };
    case 'left':
      return { ...s, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { ...s, cursor: Math.min(text.length, cursor + 1) };
    case 'wordLeft':
      return { ...s, cursor: wordStartBefore(text, cursor) };
    case 'wordRight':
      return { ...s, cursor: wordEndAfter(text, cursor) };
    case 'lineStart':
      return { ...s, cursor: lineStart(text, cursor) };
    case 'lineEnd':
      return { ...s, cursor: lineEnd(text, cursor) };
    case 'killToLineStart': {
      const start = lineStart(text, cursor);
      return { ...s, text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
    case 'killToLineEnd':
      return { ...s, text: text.slice(0, cursor) + text.slice(lineEnd(text, cursor)) };
    case 'killWordBack': {
      const start = wordStartBefore(text, cursor);
      return { ...s, text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
    case 'up': {
      // Inside a multi-line entry, up moves between its lines; on the first line it recalls history.
      const start = lineStart(text, cursor);
      if (start === 0) return edit(s, { type: 'historyPrev' });
      const column = cursor - start;
      const prevStart = lineStart(text, start - 1);
      return { ...s, cursor: Math.min(prevStart + column, start - 1) };
    }
    case 'down': {
      const end = lineEnd(text, cursor);
      if (end === text.length) return edit(s, { type: 'historyNext' });
      const column = cursor - lineStart(text, cursor);
      const nextStart = end + 1;
      return { ...s, cursor: Math.min(nextStart + column, lineEnd(text, nextStart)) };
    }
    case 'historyPrev': {
      if (s.historyIndex === 0) return s;
      const draft = s.historyIndex === s.history.length ? text : s.draft;
      const index = s.historyIndex - 1;
      const entry = s.history[index]!;
      return { ...s, text: entry, cursor: entry.length, historyIndex: index, draft };
    }
    case 'historyNext': {
      if (s.historyIndex >= s.history.length) return s;
      const index = s.historyIndex + 1;
      const entry = index === s.history.length ? s.draft : s.history[index]!;
      return { ...s, text: entry, cursor: entry.length, historyIndex: index };
    }
    case 'set':
      return { ...s, text: action.text, cursor: Math.max(0, Math.min(action.cursor, action.text.length)) };
    case 'clear':
      return { ...s, text: '', cursor: 0, historyIndex: s.history.length, draft: '' };
  }
}

function lineStart(text: string, cursor: number): number {
  return text.lastIndexOf('\n', cursor - 1) + 1;
}

function lineEnd(text: string, cursor: number): number {
  const end = text.indexOf('\n', cursor);
  return end === -1 ? text.length : end;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

function wordStartBefore(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && !isWordChar(text[i - 1])) i--;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return i;
}

function wordEndAfter(text: string, cursor: number): number {
  let i = cursor;
  while (i < text.length && !isWordChar(text[i])) i++;
  while (i < text.length && isWordChar(text[i])) i++;
  return i;
}
