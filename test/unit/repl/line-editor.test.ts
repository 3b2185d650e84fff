import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { textIntents, toIntents } from '../../../src/repl/keys.js';
import { edit, initialEditor, type EditAction, type EditorState } from '../../../src/repl/line-editor.js';

const run = (s: EditorState, ...actions: EditAction[]) => actions.reduce(edit, s);
const typed = (text: string, history: string[] = []) => run(initialEditor(history), { type: 'insert', text });

describe('line editing', () => {
  it('inserts at the cursor and moves it', () => {
    const s = run(typed('xdp:lo'), { type: 'left' }, { type: 'left' }, { type: 'insert', text: 'X' });
    expect(s.text).toBe('xdp:Xlo');
    expect(s.cursor).toBe(5);
  });

  it('deletes backward and forward', () => {
    expect(run(typed('abc'), { type: 'backspace' }).text).toBe('ab');
    expect(run(typed('abc'), { type: 'lineStart' }, { type: 'deleteForward' }).text).toBe('bc');
    expect(run(typed(''), { type: 'backspace' }).text).toBe('');
  });

  it('kills to line start and end, and the word before', () => {
    const s = run(typed('xdp:lo { @ = count() }'), { type: 'wordLeft' });
    expect(s.cursor).toBe(13);
    expect(run(s, { type: 'killToLineEnd' }).text).toBe('xdp:lo { @ = ');
    expect(run(s, { type: 'killToLineStart' }).text).toBe('count() }');
    expect(run(typed('xdp:lo { count'), { type: 'killWordBack' }).text).toBe('xdp:lo { ');
  });

  it('walks history and comes back to the draft', () => {
    let s = typed('draft', ['one', 'two']);
    s = edit(s, { type: 'up' });
    expect(s.text).toBe('two');
    s = edit(s, { type: 'up' });
    expect(s.text).toBe('one');
    s = edit(s, { type: 'up' });
    expect(s.text).toBe('one');
    s = run(s, { type: 'down' }, { type: 'down' });
    expect(s.text).toBe('draft');
  });

  it('moves between the lines of a multi-line entry before recalling history', () => {
    let s = typed('xdp:lo {\n  @ = count()\n}', ['old']);
    s = edit(s, { type: 'up' });
    expect(s.cursor).toBe('xdp:lo {\n'.length + 1);
    s = run(s, { type: 'up' });
    expect(s.cursor).toBe(1);
    s = edit(s, { type: 'up' });
    expect(s.text).toBe('old');
  });
});

const key = (over: Partial<Key> = {}): Key =>
  ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...over }) as Key;

describe('keys', () => {
  it('maps readline keys', () => {
    expect(toIntents('a', key({ ctrl: true }))).toEqual([{ type: 'lineStart' }]);
    expect(toIntents('c', key({ ctrl: true }))).toEqual([{ type: 'interrupt' }]);
    expect(toIntents('d', key({ ctrl: true }))).toEqual([{ type: 'eof' }]);
    expect(toIntents('', key({ delete: true }))).toEqual([{ type: 'backspace' }]);
    expect(toIntents('', key({ return: true }))).toEqual([{ type: 'enter' }]);
    expect(toIntents('', key({ tab: true }))).toEqual([{ type: 'tab' }]);
    expect(toIntents('b', key({ meta: true }))).toEqual([{ type: 'wordLeft' }]);
  });

  it('splits text that arrives in one chunk into inserts and Enters', () => {
    expect(textIntents('xdp:lo {\r  @ = count() }\r')).toEqual([
      { type: 'insert', text: 'xdp:lo {' },
      { type: 'enter' },
      { type: 'insert', text: '  @ = count() }' },
      { type: 'enter' },
    ]);
    expect(textIntents('a\tb')).toEqual([{ type: 'insert', text: 'a b' }]);
    expect(textIntents('ab\x7fc')).toEqual([{ type: 'insert', text: 'ab' }, { type: 'backspace' }, { type: 'insert', text: 'c' }]);
  });
});
