// The input line: `nettrace> ` on the first line, `   ...> ` on continuation lines, the
// cursor drawn as an inverse cell, and under it what Tab found or a note (Ctrl-C).
import { Box, Text } from 'ink';
import { truncate } from './text-fit.js';

export const PROMPT = 'nettrace> ';
export const CONTINUATION = '     ...> ';

export interface PromptProps {
  text: string;
  cursor: number;
  width: number;
  /** Completion candidates to list under the prompt. */
  listed: readonly string[];
  /** A one-line note under the prompt. */
  notice?: string;
  /** Hide the cursor (while quitting). */
  inactive?: boolean;
}

export const MAX_LISTED_ROWS = 4;

export function Prompt({ text, cursor, width, listed, notice, inactive }: PromptProps) {
  const lines = text.split('\n');
  let offset = 0;
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => {
        const start = offset;
        offset += line.length + 1;
        const here = !inactive && cursor >= start && cursor <= start + line.length ? cursor - start : -1;
        return (
          <Text key={i}>
            <Text color="cyan" bold={i === 0}>
              {i === 0 ? PROMPT : CONTINUATION}
            </Text>
            {here === -1 ? (
              line
            ) : (
              <>
                {line.slice(0, here)}
                <Text inverse>{line[here] ?? ' '}</Text>
                {line.slice(here + 1)}
              </>
            )}
          </Text>
        );
      })}
      {listed.length > 0 && <Candidates listed={listed} width={width} />}
      {notice && <Text color="yellow">{notice}</Text>}
    </Box>
  );
}

function Candidates({ listed, width }: { listed: readonly string[]; width: number }) {
  const rows = candidateRows(listed, width);
  return (
    <Box flexDirection="column">
      {rows.map((row, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {row}
        </Text>
      ))}
    </Box>
  );
}

/** Candidates in columns, at most MAX_LISTED_ROWS rows, the last saying how many more. */
export function candidateRows(listed: readonly string[], width: number): string[] {
  const cell = Math.min(Math.max(...listed.map((c) => c.length)) + 2, Math.max(1, width));
  const perRow = Math.max(1, Math.floor(width / cell));
  const rows: string[] = [];
  for (let i = 0; i < listed.length; i += perRow) rows.push(listed.slice(i, i + perRow).map((c) => truncate(c, cell - 2).padEnd(cell)).join('').trimEnd());
  if (rows.length <= MAX_LISTED_ROWS) return rows;
  const kept = rows.slice(0, MAX_LISTED_ROWS - 1);
  return [...kept, `… ${listed.length - kept.length * perRow} more`];
}

/** Rows the prompt takes on screen, for the layout. */
export function promptRows(text: string, width: number, listed: readonly string[], notice?: string): number {
  const lines = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil((PROMPT.length + line.length + 1) / Math.max(1, width))), 0);
  return lines + (listed.length > 0 ? candidateRows(listed, width).length : 0) + (notice ? 1 : 0);
}
