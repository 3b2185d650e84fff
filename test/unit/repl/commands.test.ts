import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandError, parseCommand } from '../../../src/repl/commands.js';
import { appendHistory, decodeLine, encodeEntry, loadHistory, withEntry } from '../../../src/repl/history.js';

describe('commands parse', () => {
  it('reads every command and its argument', () => {
    expect(parseCommand('.help')).toEqual({ name: '.help' });
    expect(parseCommand('.detach 2')).toEqual({ name: '.detach', target: 2 });
    expect(parseCommand('.detach [2]')).toEqual({ name: '.detach', target: 2 });
    expect(parseCommand('.detach all')).toEqual({ name: '.detach', target: 'all' });
    expect(parseCommand('.clear')).toEqual({ name: '.clear', target: 'all' });
    expect(parseCommand('.print 1')).toEqual({ name: '.print', target: 1 });
    expect(parseCommand('.load x.nt')).toEqual({ name: '.load', file: 'x.nt' });
    expect(parseCommand('.interval 500')).toEqual({ name: '.interval', ms: 500 });
    expect(parseCommand('  .quit  ')).toEqual({ name: '.quit' });
    expect(parseCommand('.q')).toEqual({ name: '.quit' });
  });

  it('says what is wrong', () => {
    expect(() => parseCommand('.nope')).toThrow(/unknown command '.nope'/);
    expect(() => parseCommand('.detach')).toThrow('usage: .detach N|all');
    expect(() => parseCommand('.detach x')).toThrow(CommandError);
    expect(() => parseCommand('.interval 5')).toThrow(/between 100 and/);
    expect(() => parseCommand('.interval fast')).toThrow('usage: .interval MS');
    expect(() => parseCommand('.load')).toThrow('usage: .load FILE.nt');
  });
});

describe('history file', () => {
  it('round-trips single- and multi-line entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-hist-'));
    const file = join(dir, 'history');
    let all: string[] = [];
    for (const entry of ['xdp:lo { @ = count() }', 'xdp:lo {\n  printf("a\\n")\n}', '.list']) {
      all = withEntry(all, entry);
      appendHistory(file, entry, all);
    }
    expect(loadHistory(file)).toEqual(all);
    expect(readFileSync(file, 'utf8').split('\n')[1]).toBe(JSON.stringify('xdp:lo {\n  printf("a\\n")\n}'));
  });

  it('skips blanks and repeats, and reads a missing file as empty', () => {
    expect(withEntry(['a'], 'a')).toEqual(['a']);
    expect(withEntry(['a'], '  ')).toEqual(['a']);
    expect(loadHistory('/nonexistent/dir/history')).toEqual([]);
    expect(decodeLine(encodeEntry('one line'))).toBe('one line');
  });

  it('keeps the last 1000 entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-hist-'));
    const file = join(dir, 'history');
    writeFileSync(file, Array.from({ length: 1500 }, (_, i) => `.print ${i}`).join('\n') + '\n');
    const h = loadHistory(file);
    expect(h.length).toBe(1000);
    expect(h[999]).toBe('.print 1499');
  });
});
