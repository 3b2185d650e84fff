// docs/language.md's tables of builtins, functions, aggregations and probe kinds say what
// the registries say: each record's row is there, in the record's own words, and the
// tables list nothing the compiler does not have. A new record fails here until the
// docs name it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGGREGATION_RECORDS } from '../../../src/aggregations/registry.js';
import type { ValueBuiltin } from '../../../src/builtins/builtin.js';
import { VALUE_BUILTINS } from '../../../src/builtins/registry.js';
import { CALL_STATEMENTS, VALUE_FUNCTIONS } from '../../../src/functions/registry.js';
import type { ContextKind } from '../../../src/model/probe.js';
import { typeName } from '../../../src/model/types.js';
import { PROBE_KINDS } from '../../../src/probes/registry.js';

const LANGUAGE = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');

/** The rows (cells trimmed, header and rule dropped) of the first table under `heading`. */
function tableUnder(heading: string): string[][] {
  const lines = LANGUAGE.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`docs/language.md has no heading '${heading}'`);
  const first = lines.findIndex((l, i) => i > start && l.startsWith('|'));
  const table: string[] = [];
  for (let i = first; lines[i]?.startsWith('|'); i++) table.push(lines[i]);
  // `\|` is a pipe inside a cell.
  return table.slice(2).map((row) => row.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

/** The code spans of a cell: "`min(x)`, `max(x)`" -> ["min(x)", "max(x)"]. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** How the builtins table names where a builtin can be read. */
const PROBES_OF: Record<ContextKind, string> = { xdp: 'xdp', skb: 'tc', none: 'BEGIN/END/interval', tracepoint: 'tracepoint', btf: 'rawtracepoint, fentry/fexit', kprobe: 'kprobe' };

function builtinRow(b: ValueBuiltin): string[] {
  const where = b.contexts === 'all' ? 'everywhere' : b.contexts.map((c) => PROBES_OF[c]).join(', ');
  return [`\`${b.name}\``, typeName(b.type), where, b.doc];
}

describe('docs/language.md tables follow the registries', () => {
  it('the builtins table has each value builtin as its record says, and only the kernel-argument builtins beside them', () => {
    const rows = tableUnder('## Builtins');
    expect(rows).toEqual(expect.arrayContaining(VALUE_BUILTINS.map(builtinRow)));
    // args, retval and argN are typed per probe by src/check/kernel-access.ts, not records.
    const others = rows.filter((row) => !VALUE_BUILTINS.some((b) => row[0] === `\`${b.name}\``)).map((row) => row[0]);
    expect(others).toEqual(['`args`', '`retval`', '`arg0` … `argN`']);
  });

  it('the function tables have each function with its signature and doc, and no function the compiler lacks', () => {
    const rows = [...tableUnder('## Functions'), ...tableUnder('### Map functions')];
    const records = [...CALL_STATEMENTS, ...VALUE_FUNCTIONS];
    expect(rows).toEqual(expect.arrayContaining(records.map((f) => [`\`${f.signature}\``, f.doc])));
    const calls = rows.flatMap((row) => codeSpans(row[0])).filter((span) => span.includes('('));
    expect(calls.sort()).toEqual(records.map((f) => f.signature).sort());
  });

  it('the aggregations table has each aggregation with its signature and doc, and no other', () => {
    const rows = tableUnder('### Aggregations');
    expect(rows.map((row) => row.slice(0, 2))).toEqual(AGGREGATION_RECORDS.map((a) => [`\`${a.signature}\``, a.doc]));
  });

  it('the probe tables name every probe kind and every alias', () => {
    const written = [...tableUnder('## Probes'), ...tableUnder('## Kernel probes')].flatMap((row) => codeSpans(row[0]));
    const named = (name: string) => written.some((span) => span === name || span.startsWith(`${name}:`));
    const missing = PROBE_KINDS.flatMap((k) => [k.name, ...k.aliases]).filter((name) => !named(name));
    expect(missing).toEqual([]);
  });
});
