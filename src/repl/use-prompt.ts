// The prompt's behaviour: keys in, edits, history, completion, and the moments the App
// cares about (an entry submitted, Ctrl-C, Ctrl-D on an empty line).
import { useInput, type Key } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { applyCompletion, type Completion } from './completion.js';
import { withEntry } from './history.js';
import { toIntents, type Intent } from './keys.js';
import { edit, initialEditor, submitted, type EditorState } from './line-editor.js';
import { isIncomplete } from './scan.js';

export interface PromptCallbacks {
  /** A complete entry (program or command); the prompt is already cleared. */
  onSubmit(text: string): void;
  /** Ctrl-C. `text` is what was on the line (now cleared); empty means "maybe quit". */
  onInterrupt(text: string): void;
  /** Ctrl-D on an empty line. */
  onEof(): void;
  /** Any other key: the App drops its "press Ctrl-C again" state. */
  onOtherKey?(): void;
  complete(text: string, cursor: number): Completion;
  /** Called with each new entry and the whole history, to persist it. */
  saveHistory?(entry: string, all: readonly string[]): void;
}

export interface PromptState {
  text: string;
  cursor: number;
  listed: readonly string[];
}

export function usePrompt(history: readonly string[], callbacks: PromptCallbacks, isActive = true): PromptState {
  const editor = useRef<EditorState>(initialEditor(history));
  const listed = useRef<readonly string[]>([]);
  const [, redraw] = useState(0);
  const cb = useRef(callbacks);
  cb.current = callbacks;

  const handle = useCallback((input: string, key: Key) => {
    const before = editor.current;
    const beforeListed = listed.current;
    for (const intent of toIntents(input, key)) apply(intent);
    if (editor.current !== before || listed.current !== beforeListed) redraw((n) => n + 1);

    function apply(intent: Intent): void {
      const s = editor.current;
      if (intent.type !== 'tab') listed.current = [];
      if (intent.type !== 'interrupt') cb.current.onOtherKey?.();
      switch (intent.type) {
        case 'enter': {
          if (isIncomplete(s.text)) {
            editor.current = edit(s, { type: 'insert', text: '\n' });
            return;
          }
          const entry = s.text;
          const history = withEntry(s.history, entry);
          if (history.length !== s.history.length) cb.current.saveHistory?.(entry, history);
          editor.current = submitted(history);
          cb.current.onSubmit(entry);
          return;
        }
        case 'interrupt':
          editor.current = edit(s, { type: 'clear' });
          cb.current.onInterrupt(s.text);
          return;
        case 'eof':
          if (s.text === '') cb.current.onEof();
          else editor.current = edit(s, { type: 'deleteForward' });
          return;
        case 'tab': {
          const done = applyCompletion(s.text, s.cursor, cb.current.complete(s.text, s.cursor));
          editor.current = edit(s, { type: 'set', text: done.text, cursor: done.cursor });
          listed.current = done.listed;
          return;
        }
        case 'escape':
          return;
        default:
          editor.current = edit(s, intent);
      }
    }
  }, []);

  useInput(handle, { isActive });
  return { text: editor.current.text, cursor: editor.current.cursor, listed: listed.current };
}
