// Parses a tracepoint's format file (tracefs events/CAT/NAME/format): the record layout
// a classic tracepoint program receives as its context, and the value names the kernel
// itself prints for some fields (`__print_symbolic` tables in the `print fmt` line).

export interface FormatField {
  name: string;
  /** The C type as the format writes it, without the array suffix: `unsigned short`, `void *`. */
  ctype: string;
  /** Element count of a fixed array (`__u8 saddr[4]` has 4). */
  arrayLength?: number;
  /** `__data_loc char[] name`: the field holds (length << 16 | offset) of data after the record. */
  dataLoc: boolean;
  offset: number;
  size: number;
  signed: boolean;
}

/** One `{ value, "NAME" }` pair; the value as written (a number or an enumerator name). */
export interface SymbolEntry {
  value: string;
  name: string;
}

export interface TracepointFormat {
  name: string;
  id: number;
  /** The event's own fields; the common_* header fields every event shares are left out. */
  fields: FormatField[];
  /** `__print_symbolic(REC->FIELD, ...)` tables, by field name. */
  symbols: Record<string, SymbolEntry[]>;
}

export class FormatParseError extends Error {}

const FIELD_LINE = /^\s*field:(.*?);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/;

export function parseFormat(text: string): TracepointFormat {
  const name = /^name:\s*(\S+)/m.exec(text)?.[1];
  const id = /^ID:\s*(\d+)/m.exec(text)?.[1];
  if (!name || !id) throw new FormatParseError('not a tracepoint format file (no name: or ID: line)');
  const fields: FormatField[] = [];
  for (const line of text.split('\n')) {
    const m = FIELD_LINE.exec(line);
    if (!m) continue;
    const field = parseDeclaration(m[1], Number(m[2]), Number(m[3]), m[4] === '1');
    if (!field.name.startsWith('common_')) fields.push(field);
  }
  const printFmt = /^print fmt:(.*)$/m.exec(text)?.[1] ?? '';
  return { name, id: Number(id), fields, symbols: symbolTables(printFmt) };
}

/** `unsigned short protocol`, `__u8 saddr[4]`, `__data_loc char[] name`, `const void * skaddr`. */
function parseDeclaration(decl: string, offset: number, size: number, signed: boolean): FormatField {
  let text = decl.trim();
  let dataLoc = false;
  const loc = /^__(data|rel)_loc\s+/.exec(text);
  if (loc) {
    dataLoc = true;
    text = text.slice(loc[0].length);
  }
  let arrayLength: number | undefined;
  const array = /\[([^\]]*)\]\s*$/.exec(text);
  if (array) {
    text = text.slice(0, array.index).trimEnd();
    const n = Number(array[1]);
    if (array[1] !== '' && Number.isInteger(n)) arrayLength = n;
  }
  const ident = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text);
  if (!ident) throw new FormatParseError(`cannot read the field declaration '${decl}'`);
  let ctype = text.slice(0, ident.index).trim();
  // `__data_loc char[] name` writes the brackets on the type: strip them from the type too.
  if (dataLoc) ctype = ctype.replace(/\[\s*\]$/, '').trim();
  else if (/\[\s*\]$/.test(ctype)) ctype = ctype.replace(/\[\s*\]$/, '').trim();
  return { name: ident[1], ctype, arrayLength, dataLoc, offset, size, signed };
}

/** Finds every `__print_symbolic(REC->FIELD, { V, "NAME" }, ...)` in the print fmt line. */
function symbolTables(printFmt: string): Record<string, SymbolEntry[]> {
  const tables: Record<string, SymbolEntry[]> = {};
  const start = /__print_symbolic\(\s*REC->([A-Za-z_][A-Za-z0-9_]*)\s*,/g;
  for (let m = start.exec(printFmt); m; m = start.exec(printFmt)) {
    const body = balancedCall(printFmt, m.index + '__print_symbolic'.length);
    const entries: SymbolEntry[] = [];
    const pair = /\{\s*([^,{}]+?)\s*,\s*"([^"]*)"\s*\}/g;
    for (let p = pair.exec(body); p; p = pair.exec(body)) entries.push({ value: p[1].trim(), name: p[2] });
    if (entries.length > 0 && !tables[m[1]]) tables[m[1]] = entries;
  }
  return tables;
}

/** The text between the parenthesis at `open` and its match. */
function balancedCall(text: string, open: number): string {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}
