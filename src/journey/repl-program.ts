// `.journey IF [--tx]` in the REPL: the journey program attached like any other, with an
// origin that says which picture its maps make, so the live panels draw the diagram
// (JourneyView) for it instead of one panel per map.
import { networkInterfaces } from 'node:os';
import { journeyProgram, type Direction } from './program.js';

export interface JourneyTarget {
  ifname: string;
  direction: Direction;
}

export function journeyOrigin(t: JourneyTarget): string {
  return `.journey ${t.ifname}${t.direction === 'tx' ? ' --tx' : ''}`;
}

/** The journey a program draws, from its origin; undefined for every other program. */
export function journeyOf(origin: string): JourneyTarget | undefined {
  const m = /^\.journey (\S+)( --tx)?$/.exec(origin);
  return m ? { ifname: m[1], direction: m[2] ? 'tx' : 'rx' } : undefined;
}

/** The program text for a REPL journey on this machine's interface. */
export function journeySource(t: JourneyTarget): string {
  const addresses = (networkInterfaces()[t.ifname] ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address);
  return journeyProgram(t.ifname, t.direction, addresses);
}
