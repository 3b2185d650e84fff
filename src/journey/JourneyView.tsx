// The journey drawn with Ink: the lines of lines.ts, coloured.
import { Box, Text } from 'ink';
import type { Line } from './lines.js';

export function JourneyView({ lines }: { lines: Line[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i}>
          {line.length === 0
            ? ' '
            : line.map((s, j) => (
                <Text key={j} color={s.colour} bold={s.bold}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
