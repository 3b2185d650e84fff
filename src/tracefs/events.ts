// The tracepoints of the running kernel, read from tracefs.
import { readFileSync } from 'node:fs';
import { tracefsRoot } from './root.js';

/** Every tracepoint as `category:name`, sorted; empty when tracefs is unavailable. */
export function listTracepoints(): string[] {
  const root = tracefsRoot();
  if (!root) return [];
  try {
    // available_events lists every event as CAT:NAME in one read, where walking events/
    // would take thousands of readdir calls.
    return readFileSync(`${root}/available_events`, 'utf8').split('\n').filter((l) => l.includes(':')).sort();
  } catch {
    return [];
  }
}

/** The text of events/CAT/NAME/format, or undefined when there is no such tracepoint. */
export function readTracepointFormat(category: string, name: string): string | undefined {
  const root = tracefsRoot();
  if (!root || !isPlainName(category) || !isPlainName(name)) return undefined;
  try {
    return readFileSync(`${root}/events/${category}/${name}/format`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Names become path components: nothing that could climb out of events/. */
function isPlainName(s: string): boolean {
  return s !== '' && s !== '.' && s !== '..' && !s.includes('/') && !s.includes('\0');
}
