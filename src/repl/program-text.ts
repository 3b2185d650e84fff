// What the transcript says about a program: its probes, its maps as text (.print, and
// when it ends), and the end of its run with what was lost on the way. The end is
// printed whatever ended the program (.detach, exit(), its interfaces gone), so its maps
// are on screen before they vanish.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatMapText } from '../format/maps-text.js';
import type { EndReason, RunEnd } from '../runtime/run/records.js';
import type { MapReading } from '../model/map-reading.js';
import type { ProgramInfo } from './engine.js';
import type { Entry } from './TranscriptEntry.js';

export function describeProbes(info: ProgramInfo): string {
  return info.probes.map((p) => (p.detail ? `${p.text} (${p.detail})` : p.text)).join(', ');
}

/** Every map, each as bpftrace prints it; an empty one says so. */
export function mapsText(maps: readonly MapReading[]): string[] {
  return maps.map((m) => formatMapText(m) || `${m.map.displayName}: (no entries)`);
}

/** Warnings of a running program (NT0506, NT0507), labelled with its id. */
export function warningEntry(program: ProgramInfo, diagnostics: Diagnostic[]): Entry {
  return { kind: 'diagnostics', diagnostics, source: { name: program.origin, text: program.source }, label: `[${program.id}]` };
}

/** A program ended: why, its maps as it left them, then what it lost. */
export function endEntries(program: ProgramInfo, end: RunEnd): Entry[] {
  const probes = program.probes.map((p) => p.text).join(', ');
  const entries: Entry[] = [{ kind: 'info', text: `[${program.id}] ${ENDINGS[end.reason]}${probes}` }];
  if (end.maps.length > 0) entries.push({ kind: 'output', text: mapsText(end.maps).join('\n') });
  if (end.lostEvents > 0n) {
    entries.push({ kind: 'error', text: `[${program.id}] ${eventsLost(end.lostEvents)} in all: the ring buffer was full (nettrace --ring-pages N makes it bigger)` });
  }
  if (end.fullMaps.length > 0) entries.push(warningEntry(program, end.fullMaps));
  return entries;
}

export function eventsLost(lost: bigint): string {
  return `${lost} event${lost === 1n ? '' : 's'} lost`;
}

const ENDINGS: Record<EndReason, string> = {
  stopped: 'detached ',
  exit: 'called exit(): detached ',
  'interfaces-gone': 'no probe is left on an interface: detached ',
};
