// Renders diagnostics the way compilers users know do it:
//   -e:1:13: error[NT0302]: ip has no field 'scr'
//   xdp:eth0 < @[ip.scr] = count() >
//               ~~~~~~
//   hint: did you mean 'src'?
import type { Diagnostic } from './diagnostic.js';

export interface SourceFile {
  /** What the user calls it: a path, or `-e` for a one-liner, `<stdin>`, `<repl>`. */
  name: string;
  text: string;
}

export function renderDiagnostic(d: Diagnostic, source?: SourceFile): string {
  const where = d.span && source ? `${source.name}:${d.span.start.line}:${d.span.start.column}: ` : source ? `${source.name}: ` : '';
  const lines = [`${where}${d.severity}[${d.code}]: ${d.message}`];
  if (d.span && source) lines.push(...sourceExcerpt(source.text, d.span.start.line, d.span.start.column, underlineLength(d, source.text)));
  for (const hint of d.hints) lines.push(`hint: ${hint}`);
  return lines.join('\n');
}

export function renderDiagnostics(ds: Diagnostic[], source?: SourceFile): string {
  return ds.map((d) => renderDiagnostic(d, source)).join('\n\n');
}

function underlineLength(d: Diagnostic, text: string): number {
  const span = d.span!;
  if (span.end.line !== span.start.line) {
    const lineEnd = text.indexOf('\n', span.start.offset);
    return Math.max(1, (lineEnd === -1 ? text.length : lineEnd) - span.start.offset);
  }
  return Math.max(1, span.end.offset - span.start.offset);
}

function sourceExcerpt(text: string, line: number, column: number, length: number): string[] {
  const sourceLine = text.split('\n')[line - 1] ?? '';
  // Tabs would misalign the underline; show them as single spaces in both lines.
  const shown = sourceLine.replace(/\t/g, ' ');
  return [shown, ' '.repeat(Math.max(0, column - 1)) + '~'.repeat(length)];
}
