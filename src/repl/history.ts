// Entries typed at the prompt, kept in a file across sessions (default ~/.nettrace_history).
// One entry per line; an entry that spans several lines is written as a JSON string (a
// line starting with `"`), which no program or command ever starts with.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_LIMIT = 1000;

export function defaultHistoryFile(): string {
  return join(homedir(), '.nettrace_history');
}

export function encodeEntry(entry: string): string {
  return entry.includes('\n') ? JSON.stringify(entry) : entry;
}

export function decodeLine(line: string): string {
  if (line.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'string') return value;
    } catch {
      // not ours: keep the line as it is
    }
  }
  return line;
}

/** Oldest first. A missing or unreadable file is an empty history. */
export function loadHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    return lines.slice(-HISTORY_LIMIT).map(decodeLine);
  } catch {
    return [];
  }
}

/**
 * Appends one entry; now and then rewrites the file to its last HISTORY_LIMIT entries.
 * History is a convenience: failing to write it never disturbs the session.
 */
export function appendHistory(file: string | undefined, entry: string, all: readonly string[]): void {
  if (!file) return;
  try {
    if (all.length > HISTORY_LIMIT * 2) writeFileSync(file, all.slice(-HISTORY_LIMIT).map(encodeEntry).join('\n') + '\n', { mode: 0o600 });
    else appendFileSync(file, encodeEntry(entry) + '\n', { mode: 0o600 });
  } catch {
    // read-only home, full disk: keep going without it
  }
}

/** The entry joins the history unless it is blank or repeats the previous one. */
export function withEntry(history: readonly string[], entry: string): string[] {
  if (entry.trim() === '' || history[history.length - 1] === entry) return [...history];
  return [...history, entry];
}
