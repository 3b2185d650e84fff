// A light structural scan of what the user has typed so far, for the prompt only: is a
// block still open (so Enter continues on the next line), and is the cursor where a probe
// may stand (so Tab completes probe kinds)? It follows the lexer's rules for the three
// context-dependent tokens (src/lexer/structure.ts) on characters instead of tokens:
//   - `<` opens a one-liner block only at top level, outside a predicate;
//   - `>` closes it only when that `<` is the innermost open bracket;
//   - `/` at top level delimits a predicate; `//` and `/* */` are comments everywhere.
// The compiler stays the judge of what the text means; this scan never rejects anything.

export type OpenKind = 'block' | 'angle' | 'brace' | 'paren' | 'bracket';

export interface ScanState {
  /** Open brackets, outermost first. */
  stack: OpenKind[];
  inPredicate: boolean;
  /** The next word would be a probe (start of input, after `,` in a probe list, after a block). */
  probePosition: boolean;
  /** Inside an unterminated `/* ...` comment. */
  inBlockComment: boolean;
  /** Inside an unterminated string literal. */
  inString: boolean;
  /** The probes of the top-level block the text ends in, as written before its predicate or block (comments included). */
  blockProbes: string;
}

export function scan(text: string): ScanState {
  const s: ScanState = { stack: [], inPredicate: false, probePosition: true, inBlockComment: false, inString: false, blockProbes: '' };
  /** Where the probes of the current top-level entry begin (the start, or just after the last block), until taken. */
  let entryStart: number | undefined = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) {
        s.inBlockComment = true;
        return s;
      }
      i = end + 2;
      continue;
    }
    if (c === '"') {
      i = skipString(text, i + 1);
      if (i > text.length) {
        s.inString = true;
        return s;
      }
      if (s.stack.length === 0) s.probePosition = false;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (s.stack.length === 0) {
      // The probe list ends where a predicate or a block begins.
      if (entryStart !== undefined && !s.inPredicate && (c === '/' || c === '{' || c === '<')) {
        s.blockProbes = text.slice(entryStart, i);
        entryStart = undefined;
      }
      feedTopLevel(s, c);
    } else {
      feedNested(s, c);
      if (s.stack.length === 0) {
        entryStart = i + 1;
        s.blockProbes = '';
      }
    }
    i++;
  }
  return s;
}

/** Enter continues the entry instead of submitting it: a block or comment is still open. */
export function isIncomplete(text: string): boolean {
  if (text.trimStart().startsWith('.')) return false; // commands are one line
  const s = scan(text);
  return s.inBlockComment || s.stack.some((k) => k === 'block' || k === 'angle' || k === 'brace');
}

/** Index just past the closing quote, or text.length + 1 when there is none. */
function skipString(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
    else if (text[i] === '\n') return text.length + 1;
  }
  return text.length + 1;
}

function feedTopLevel(s: ScanState, c: string): void {
  switch (c) {
    case ',':
      s.probePosition = !s.inPredicate;
      return;
    case '/':
      s.inPredicate = !s.inPredicate;
      break;
    case '{':
      s.inPredicate = false;
      s.stack.push('block');
      break;
    case '<':
      if (!s.inPredicate) s.stack.push('angle');
      break;
    case '(':
      s.stack.push('paren');
      break;
    case '[':
      s.stack.push('bracket');
      break;
    default:
      break;
  }
  s.probePosition = false;
}

function feedNested(s: ScanState, c: string): void {
  switch (c) {
    case '{':
      s.stack.push('brace');
      return;
    case '(':
      s.stack.push('paren');
      return;
    case '[':
      s.stack.push('bracket');
      return;
    case '}':
      return popTo(s, ['brace', 'block'], ['angle']);
    case ')':
      return popTo(s, ['paren'], ['brace', 'block', 'angle']);
    case ']':
      return popTo(s, ['bracket'], ['brace', 'block', 'angle']);
    case '>':
      if (s.stack[s.stack.length - 1] === 'angle') popTo(s, ['angle'], []);
      return;
    default:
      return;
  }
}

function popTo(s: ScanState, kinds: OpenKind[], barriers: OpenKind[]): void {
  for (let i = s.stack.length - 1; i >= 0; i--) {
    const kind = s.stack[i]!;
    if (kinds.includes(kind)) {
      s.stack.length = i;
      if (i === 0 && (kind === 'block' || kind === 'angle')) {
        s.probePosition = true;
        s.inPredicate = false;
      }
      return;
    }
    if (barriers.includes(kind)) return;
  }
}
