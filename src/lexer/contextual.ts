// Custom token patterns whose meaning depends on the tokens before them (see structure.ts
// for the rules). Each pattern asks the Structure of the current tokenize() run.
//
// Chevrotain calls custom patterns with the array of tokens matched so far; a new array
// means a new run, so the Structure is keyed on that array's identity and rebuilt when it
// changes. tokenize() in lexer.ts also installs the options of the run (which `>` must not
// close a block, the nesting limit) before it starts. Outside a run (chevrotain probes the
// patterns when it validates the token set) they match nothing.
import type { IToken } from 'chevrotain';
import { Structure } from './structure.js';

export interface RunOptions {
  /** Offsets of `>` characters that must lex as comparisons, never as a block's end. */
  notAngleClose: ReadonlySet<number>;
  /** Nesting depth past which Structure.tooDeep is set. */
  depthLimit: number;
}

const defaults: RunOptions = { notAngleClose: new Set(), depthLimit: Number.POSITIVE_INFINITY };

let options: RunOptions = defaults;
let running = false;
let tokensOfRun: IToken[] | undefined;
let structure = new Structure();

/** Start a run: the next tokenize() call uses these options and a fresh Structure. */
export function beginRun(runOptions: RunOptions): void {
  options = runOptions;
  tokensOfRun = undefined;
  running = true;
}

export function endRun(): void {
  options = defaults;
  tokensOfRun = undefined;
  running = false;
}

/** The Structure of the current run, caught up with `tokens`. */
export function structureOf(tokens: IToken[]): Structure {
  if (tokens !== tokensOfRun) {
    tokensOfRun = tokens;
    structure = new Structure(options.depthLimit);
  }
  structure.catchUp(tokens);
  return structure;
}

type Match = [string] | null;

// Provider: a C identifier. Parts: the rest, split on ':'. Parts may be empty (the checker
// says what is missing), may hold wildcards and positional parameters (`xdp:$1`, replaced
// by the command line's arguments); '/' is excluded because it starts a predicate.
const PROBE = /[A-Za-z_][A-Za-z0-9_]*(?::(?:[A-Za-z0-9_.*?-]|\$\d+)*)*/y;
// bpftrace's user-space probes name a file first (`uprobe:/bin/bash:readline`): read the
// path as part of the probe, so the checker can say the kind is not supported instead of
// the parser taking the `/` for a predicate.
const USER_PROBE = /(?:uprobe|uretprobe|usdt|u|ur):\/[^\s:{}<,]*(?::[A-Za-z0-9_.*?$-]*)*/y;

export function matchProbe(text: string, offset: number, tokens: IToken[]): Match {
  if (!running) return null;
  if (!structureOf(tokens).probePosition) return null;
  USER_PROBE.lastIndex = offset;
  const user = USER_PROBE.exec(text);
  if (user) return [user[0]];
  PROBE.lastIndex = offset;
  const m = PROBE.exec(text);
  return m ? [m[0]] : null;
}

/** `<` outside every block and predicate opens a one-liner block. */
export function matchAngleOpen(text: string, offset: number, tokens: IToken[]): Match {
  if (!running || text.charCodeAt(offset) !== 60 /* < */) return null;
  const s = structureOf(tokens);
  return s.stack.length === 0 && !s.inPredicate ? ['<'] : null;
}

/**
 * `>` at the statement level of a `< ... >` block closes it, even when followed by `=` or
 * `>` (so `a >= b` there ends the block: the parser then reports NT0105).
 */
export function matchAngleClose(text: string, offset: number, tokens: IToken[]): Match {
  if (!running || text.charCodeAt(offset) !== 62 /* > */) return null;
  if (options.notAngleClose.has(offset)) return null;
  return structureOf(tokens).top?.kind === 'angle' ? ['>'] : null;
}

/** `/` outside every bracket opens or closes a predicate; division there needs parentheses. */
export function matchPredicateDelimiter(text: string, offset: number, tokens: IToken[]): Match {
  if (!running || text.charCodeAt(offset) !== 47 /* / */) return null;
  const next = text.charCodeAt(offset + 1);
  if (next === 47 || next === 42) return null; // `//` and `/*` are comments
  return structureOf(tokens).stack.length === 0 ? ['/'] : null;
}

/** `#!` on the first line (a script made executable) is not part of the program. */
export function matchShebang(text: string, offset: number): Match {
  if (offset !== 0 || !text.startsWith('#!')) return null;
  const end = text.indexOf('\n');
  return [end === -1 ? text : text.slice(0, end)];
}
