// Tab completion: what the word before the cursor could become. Pure: the names come from
// a CompletionSources (live ones in completion-sources.ts, fakes in tests).
import { scan } from './scan.js';

export interface CompletionSources {
  /** Probe providers and aliases: xdp, tc, tracepoint, t ... */
  probeKinds(): string[];
  /** Providers whose first part is an interface name. */
  interfaceKinds(): string[];
  interfaces(): string[];
  /** Providers whose parts are CATEGORY:NAME of a tracepoint. */
  tracepointKinds(): string[];
  /** `category:name` for every tracepoint the kernel has. */
  tracepoints(): string[];
  /** Bare names valid in a statement: builtins, header names, functions. */
  words(): string[];
  /** Field names after `name.` (`ip` -> src, dst ...). */
  fields(object: string): string[];
  /** REPL commands, with their leading dot. */
  commands(): string[];
  /** Entries of a directory, directories with a trailing `/`. */
  files(dir: string): string[];
}

export interface Completion {
  /** The text from `start` to the cursor is replaced by one of the candidates. */
  start: number;
  candidates: string[];
}

const NONE: Completion = { start: 0, candidates: [] };

export function complete(text: string, cursor: number, sources: CompletionSources): Completion {
  const before = text.slice(0, cursor);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.slice(lineStart);
  if (lineStart === 0 && /^\s*\./.test(line)) return completeCommand(line, sources);

  // Probe words hold `:` and interface names may hold `-` or `.`; expressions use less.
  const probeWord = /[A-Za-z0-9_.:*?-]*$/.exec(before)![0];
  const state = scan(before.slice(0, cursor - probeWord.length));
  if (state.inString || state.inBlockComment) return NONE;
  if (state.probePosition) return { start: cursor - probeWord.length, candidates: completeProbe(probeWord, sources) };
  if (state.stack.length === 0) return NONE; // in a predicate at top level: nothing useful to say yet
  const word = /[A-Za-z0-9_.]*$/.exec(before)![0];
  if (/[@$]$/.test(before.slice(0, cursor - word.length))) return NONE; // map and variable names
  return { start: cursor - word.length, candidates: completeExpression(word, sources) };
}

function completeCommand(line: string, sources: CompletionSources): Completion {
  const m = /^(\s*)(\.\S*)(\s+)?(\S*)$/.exec(line);
  if (!m) return NONE;
  const [, lead, command, space, arg] = m as unknown as [string, string, string, string | undefined, string];
  if (space === undefined) {
    return { start: lead.length, candidates: matching(sources.commands(), command).map((c) => c + ' ') };
  }
  if (command === '.load' || command === '.save') {
    const slash = arg.lastIndexOf('/');
    const dir = slash === -1 ? '' : arg.slice(0, slash + 1);
    const names = sources.files(dir === '' ? '.' : dir).map((n) => dir + n);
    return { start: line.length - arg.length, candidates: matching(names, arg) };
  }
  return NONE;
}

function completeProbe(word: string, sources: CompletionSources): string[] {
  const parts = word.split(':');
  if (parts.length === 1) return matching(sources.probeKinds(), word).map((k) => k + ':');
  const provider = parts[0]!;
  if (sources.interfaceKinds().includes(provider) && parts.length === 2) {
    return matching(sources.interfaces(), parts[1]!).map((i) => `${provider}:${i}`);
  }
  if (provider === 'tc' && parts.length === 3) {
    return matching(['ingress', 'egress'], parts[2]!).map((d) => `${parts[0]}:${parts[1]}:${d}`);
  }
  if (sources.tracepointKinds().includes(provider)) {
    const rest = parts.slice(1).join(':');
    const names = sources.tracepoints();
    if (parts.length === 2) {
      // Complete the category first; a unique category goes on to its names.
      const categories = unique(names.map((n) => n.split(':')[0]!));
      const cats = matching(categories, rest);
      if (cats.length !== 1) return cats.map((c) => `${provider}:${c}:`);
    }
    return matching(names, rest).map((n) => `${provider}:${n}`);
  }
  return [];
}

function completeExpression(word: string, sources: CompletionSources): string[] {
  // `@map` and `$var` names are not completed; `ip.s` completes fields, `co` builtins.
  const dot = word.lastIndexOf('.');
  if (dot !== -1) {
    const object = word.slice(0, dot);
    const objectName = object.split('.').pop()!;
    return matching(sources.fields(objectName), word.slice(dot + 1)).map((f) => `${object}.${f}`);
  }
  return matching(sources.words(), word);
}

function matching(names: string[], prefix: string): string[] {
  return unique(names.filter((n) => n.startsWith(prefix))).sort();
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/** The longest prefix all candidates share. */
export function commonPrefix(candidates: string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0]!;
  for (const c of candidates) {
    let i = 0;
    while (i < prefix.length && i < c.length && prefix[i] === c[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/**
 * Applies a completion: a single candidate replaces the word, several extend it to their
 * common prefix and are returned to be listed under the prompt.
 */
export function applyCompletion(text: string, cursor: number, completion: Completion): { text: string; cursor: number; listed: string[] } {
  const { start, candidates } = completion;
  if (candidates.length === 0) return { text, cursor, listed: [] };
  const word = text.slice(start, cursor);
  const replacement = candidates.length === 1 ? candidates[0]! : commonPrefix(candidates);
  if (replacement.length < word.length) return { text, cursor, listed: candidates };
  const newText = text.slice(0, start) + replacement + text.slice(cursor);
  return { text: newText, cursor: start + replacement.length, listed: candidates.length === 1 ? [] : candidates };
}
