// printf() output: the newest lines, scrolling, in the rows left for them, under a header
// that counts them and the events the ring buffers had no room for.
import { Box, Text } from 'ink';
import type { PrintfEvent } from './engine.js';
import { eventsLost } from './program-text.js';

export interface EventsPaneProps {
  events: readonly PrintfEvent[];
  /** Total events seen, which may exceed what is kept. */
  total: number;
  /** Events lost, never shown. */
  lost: bigint;
  width: number;
  /** Rows for the pane, its header included. */
  maxRows: number;
  showProgramIds: boolean;
}

export function EventsPane({ events, total, lost, width, maxRows, showProgramIds }: EventsPaneProps) {
  if (maxRows <= 1 || (events.length === 0 && lost === 0n)) return null;
  const shown = events.slice(-(maxRows - 1));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text dimColor>printf events ({total}</Text>
        {lost > 0n && <Text color="red">, {eventsLost(lost)}</Text>}
        <Text dimColor>)</Text>
      </Text>
      {shown.map((e, i) => (
        <Text key={total - shown.length + i} wrap="truncate-end">
          {showProgramIds && <Text dimColor>[{e.programId}] </Text>}
          {e.text.replace(/\n$/, '').replace(/\n/g, ' ⏎ ')}
        </Text>
      ))}
    </Box>
  );
}
