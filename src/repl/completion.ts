// Tab completion: what the word before the cursor could become. Pure: the names come from
// a CompletionSources (live ones in completion-sources.ts, fakes in tests).
import { scan } from './scan.js';

export interface CompletionSources {
  /** Probe kinds and their aliases: xdp, tc, tracepoint, t, BEGIN ... */
  probeKinds(): string[];
  /** Every probe of the kind `provider` names that the kernel offers, written with `provider` (`t:skb:kfree_skb`). */
  probes(provider: string): string[];
  /** `text` is a whole probe as it stands (`BEGIN`, `tc:eth0`): Tab adds no `:` after it. */
  isProbe(text: string): boolean;
  /** Bare names valid in a block of `probes` (the probe list as written): builtins, header names, functions, `args`. */
  words(probes: string): string[];
  /** Field names after `object.` in a block of `probes`: `ip` -> src, dst ...; `args` -> the probes' arguments. */
  fields(object: string, probes: string): string[];
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
  if (state.stack.length === 0 && !state.inPredicate) return NONE; // between blocks: nothing to say
  const word = /[A-Za-z0-9_.]*$/.exec(before)![0];
  if (/[@$]$/.test(before.slice(0, cursor - word.length))) return NONE; // map and variable names
  return { start: cursor - word.length, candidates: completeExpression(word, state.blockProbes, sources) };
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

/**
 * Probes complete one part at a time: the kind, then each `:`-separated part of the
 * probes the kernel offers. A part gets its `:` unless the probe may end there; a single
 * candidate that must go on (a tracepoint category) goes on to its names at once.
 */
function completeProbe(word: string, sources: CompletionSources): string[] {
  const colon = word.indexOf(':');
  if (colon === -1) return matching(sources.probeKinds(), word).map((kind) => (sources.isProbe(kind) ? kind : `${kind}:`));
  const parts = unique(
    matching(sources.probes(word.slice(0, colon)), word).map((name) => {
      const end = name.indexOf(':', word.length);
      if (end === -1) return name;
      const part = name.slice(0, end);
      return sources.isProbe(part) ? part : `${part}:`;
    }),
  );
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only?.endsWith(':') && only.length > word.length) return completeProbe(only, sources);
  return parts;
}

function completeExpression(word: string, probes: string, sources: CompletionSources): string[] {
  // `@map` and `$var` names are not completed; `ip.s` completes fields, `co` builtins.
  const dot = word.lastIndexOf('.');
  if (dot !== -1) {
    const object = word.slice(0, dot);
    const objectName = object.split('.').pop()!;
    return matching(sources.fields(objectName, probes), word.slice(dot + 1)).map((f) => `${object}.${f}`);
  }
  return matching(sources.words(probes), word);
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
