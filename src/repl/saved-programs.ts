// The file `.save` writes and `.load` reads back: every attached program in the order
// they were attached, each under a marker line of its own, so `.load` attaches them
// again as the same separate programs, each with its own maps. Concatenated, they would
// be one program whose maps are shared (`@` in two programs is then one map).
//
//   // nettrace program 1 of 2
//   xdp:eth0 { @[ip.src] = count() }
//
//   // nettrace program 2 of 2
//   tc:eth0:egress { @ = sum(pkt.len) }
//
// The markers are comments, so the file is also a valid program as a whole (`nettrace
// FILE` runs it as one program). A file without markers, one program saved alone
// included, is one program.

const MARKER = /^\/\/ nettrace program \d+ of \d+[ \t]*$/;

export interface SavedProgram {
  source: string;
  /** Where it starts in the file: lines before it, and characters before it. */
  lineOffset: number;
  offset: number;
}

/** One program is saved as it is; several each under a marker. */
export function savedText(sources: readonly string[]): string {
  if (sources.length === 1) return `${sources[0]!.trim()}\n`;
  return sources.map((s, i) => `// nettrace program ${i + 1} of ${sources.length}\n${s.trim()}\n`).join('\n');
}

/** The programs of a file, in order: one per marker, or the whole text when it has none. */
export function savedPrograms(text: string): SavedProgram[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  lines.forEach((line, i) => MARKER.test(line) && starts.push(i));
  if (starts.length === 0) return [{ source: text, lineOffset: 0, offset: 0 }];
  // Anything above the first marker that is not blank is a program too.
  if (lines.slice(0, starts[0]).join('\n').trim() !== '') starts.unshift(-1);
  const lineStart = (i: number) => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
  return starts.map((marker, k) => {
    const first = marker + 1;
    const end = k + 1 < starts.length ? starts[k + 1]! : lines.length;
    return { source: lines.slice(first, end).join('\n'), lineOffset: first, offset: lineStart(first) };
  });
}
