// One entry of the transcript: what was typed, and what came back.
import { Box, Text } from 'ink';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/render.js';
import { DiagnosticView } from './DiagnosticView.js';
import { CONTINUATION, PROMPT } from './Prompt.js';

export type Entry =
  | { kind: 'input'; text: string; interrupted?: boolean }
  | { kind: 'info'; text: string }
  | { kind: 'output'; text: string }
  | { kind: 'error'; text: string }
  /** `label` goes before each diagnostic: `[2]` for what a running program reports. */
  | { kind: 'diagnostics'; diagnostics: Diagnostic[]; source: SourceFile; label?: string };

export type NumberedEntry = Entry & { id: number };

export function TranscriptEntry({ entry, width }: { entry: Entry; width: number }) {
  switch (entry.kind) {
    case 'input':
      return (
        <Box flexDirection="column">
          {entry.text.split('\n').map((line, i, all) => (
            <Text key={i}>
              <Text color="cyan" bold={i === 0}>
                {i === 0 ? PROMPT : CONTINUATION}
              </Text>
              {line}
              {entry.interrupted && i === all.length - 1 && <Text dimColor>^C</Text>}
            </Text>
          ))}
        </Box>
      );
    case 'info':
      return <Text color="green">{entry.text}</Text>;
    case 'output':
      return <Text>{entry.text}</Text>;
    case 'error':
      return <Text color="red">{entry.text}</Text>;
    case 'diagnostics':
      return <DiagnosticView diagnostics={entry.diagnostics} source={entry.source} label={entry.label} width={width} />;
  }
}
