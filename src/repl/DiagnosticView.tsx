// A compiler or runtime diagnostic, inline in the transcript: the message with its code,
// the source line, a caret under what it is about, and the hints.
import { Box, Text } from 'ink';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/render.js';

export interface DiagnosticViewProps {
  diagnostics: Diagnostic[];
  source: SourceFile;
  /** Before each diagnostic, e.g. the id of the program it is about. */
  label?: string;
  width: number;
}

export function DiagnosticView({ diagnostics, source, label, width }: DiagnosticViewProps) {
  return (
    <Box flexDirection="column">
      {diagnostics.map((d, i) => (
        <OneDiagnostic key={i} d={d} source={source} label={label} width={width} />
      ))}
    </Box>
  );
}

function OneDiagnostic({ d, source, label, width }: { d: Diagnostic; source: SourceFile; label?: string; width: number }) {
  const color = d.severity === 'error' ? 'red' : 'yellow';
  const excerpt = d.span ? sourceExcerpt(source.text, d, width) : undefined;
  return (
    <Box flexDirection="column">
      <Text>
        {label !== undefined && `${label} `}
        <Text dimColor>{location(d, source)}</Text>
        <Text color={color} bold>
          {d.severity}[{d.code}]
        </Text>
        : {d.message}
      </Text>
      {excerpt && (
        <>
          <Text>{excerpt.line}</Text>
          <Text color={color}>{excerpt.marker}</Text>
        </>
      )}
      {d.hints.map((h, i) => (
        <Text key={i}>
          <Text color="cyan">hint:</Text> {h}
        </Text>
      ))}
    </Box>
  );
}

function location(d: Diagnostic, source: SourceFile): string {
  const multiLine = source.text.includes('\n');
  if (source.name !== '<repl>') return d.span ? `${source.name}:${d.span.start.line}:${d.span.start.column}: ` : `${source.name}: `;
  return d.span && multiLine ? `line ${d.span.start.line}: ` : '';
}

/**
 * The source line and a `^~~~` marker under the span. A line wider than the terminal is
 * shown as a window around the span, so the marker stays under what it points at.
 */
export function sourceExcerpt(text: string, d: Diagnostic, width: number): { line: string; marker: string } {
  const span = d.span!;
  const lineText = (text.split('\n')[span.start.line - 1] ?? '').replace(/\t/g, ' ');
  let column = span.start.column - 1;
  const sameLine = span.end.line === span.start.line;
  let length = Math.max(1, sameLine ? span.end.offset - span.start.offset : lineText.length - column);
  let shown = lineText;
  if (shown.length > width && width > 10) {
    const start = Math.max(0, Math.min(column - Math.floor(width / 3), shown.length - (width - 1)));
    shown = (start > 0 ? '…' : '') + shown.slice(start + (start > 0 ? 1 : 0), start + width - 1);
    column -= start;
    length = Math.min(length, width - 1 - column);
  }
  const marker = ' '.repeat(Math.max(0, column)) + '^' + '~'.repeat(Math.max(0, length - 1));
  return { line: shown, marker };
}
