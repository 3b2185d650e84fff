// Every attached program's maps, redrawn at each tick, within the rows the screen has.
import { Box, Text } from 'ink';
import type { ProgramReading } from './engine.js';
import { MapPanel, panelRowsWanted } from './MapPanel.js';
import { allocateRows } from './panel-layout.js';
import { eventsLost } from './program-text.js';
import { JourneyView } from '../journey/JourneyView.js';
import { journeyLines } from '../journey/lines.js';
import { journeyOf } from '../journey/repl-program.js';
import { journeyState } from '../journey/state.js';

export interface LivePanelsProps {
  readings: ProgramReading[];
  intervalMs: number;
  width: number;
  /** Rows for all panels together. */
  maxRows: number;
}

export function LivePanels({ readings, intervalMs, width, maxRows }: LivePanelsProps) {
  const several = readings.length > 1;
  const errors = readings.filter((r) => r.error !== undefined);
  const losing = readings.filter((r) => (r.status?.lostEvents ?? 0n) > 0n);
  // A `.journey` program is drawn as its diagram, not as one panel per map.
  const journeys = readings.filter((r) => journeyOf(r.program.origin) !== undefined && r.error === undefined);
  const pictures = journeys.map((r) => {
    const t = journeyOf(r.program.origin)!;
    return { id: r.program.id, lines: journeyLines(journeyState(t.ifname, t.direction, r.maps), `[${r.program.id}] .detach ${r.program.id} stops it`) };
  });
  const panels = readings.filter((r) => !journeys.includes(r)).flatMap((r) =>
    r.maps.map((reading) => ({ program: r.program, reading, refused: r.status?.fullMaps.find((f) => f.map === reading.map)?.refused })),
  );
  const pictureRows = Math.min(Math.max(0, maxRows - errors.length - losing.length), pictures.reduce((n, p) => n + p.lines.length, 0));
  const notes = errors.length + losing.length + pictureRows;
  let rows = Math.max(0, maxRows - notes);
  let budget = allocateRows(panels.map((p) => panelRowsWanted(p.reading)), rows);
  let hidden = budget.filter((b) => b === 0).length;
  if (hidden > 0) {
    rows = Math.max(0, rows - 1); // room for the line that says how many are hidden
    budget = allocateRows(panels.map((p) => panelRowsWanted(p.reading)), rows);
    hidden = budget.filter((b) => b === 0).length;
  }
  if (maxRows <= 0) return null;
  return (
    <Box flexDirection="column">
      {errors.slice(0, maxRows).map((r) => (
        <Text key={`error-${r.program.id}`} color="red" wrap="truncate-end">
          [{r.program.id}] cannot read maps: {r.error}
        </Text>
      ))}
      {losing.slice(0, Math.max(0, maxRows - errors.length)).map((r) => (
        <Text key={`lost-${r.program.id}`} color="red" wrap="truncate-end">
          [{r.program.id}] {eventsLost(r.status!.lostEvents)}: the ring buffer was full
        </Text>
      ))}
      {pictures.length > 0 && <JourneyView lines={pictures.flatMap((p) => p.lines).slice(0, pictureRows)} />}
      {panels.map((p, i) => (
        <MapPanel
          key={`${p.program.id}/${p.reading.map.displayName}`}
          reading={p.reading}
          label={p.program.mapLabels.get(p.reading.map.displayName)}
          programId={several ? p.program.id : undefined}
          refused={p.refused}
          intervalMs={intervalMs}
          width={width}
          maxRows={budget[i]!}
        />
      ))}
      {hidden > 0 && rows + 1 <= maxRows - notes && (
        <Text dimColor wrap="truncate-end">
          … {hidden} more map{hidden === 1 ? '' : 's'} (a taller terminal shows them; .print prints all)
        </Text>
      )}
    </Box>
  );
}
