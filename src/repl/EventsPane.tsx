// printf() output: the newest lines, scrolling, in the rows left for them.
import { Box, Text } from 'ink';
import type { PrintfEvent } from './engine.js';

export interface EventsPaneProps {
  events: readonly PrintfEvent[];
  /** Total events seen, which may exceed what is kept. */
  total: number;
  width: number;
  /** Rows for the pane, its header included. */
  maxRows: number;
  showProgramIds: boolean;
}

export function EventsPane({ events, total, width, maxRows, showProgramIds }: EventsPaneProps) {
  if (maxRows <= 1 || events.length === 0) return null;
  const shown = events.slice(-(maxRows - 1));
  return (
    <Box flexDirection="column" width={width}>
      <Text dimColor wrap="truncate-end">
        printf events ({total})
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
