// The journey as lines of coloured segments: the Ink view draws them, and a run whose
// output is not a terminal prints them as plain text once, at the end.
import type { JourneyState } from './state.js';

export type Colour = 'green' | 'red' | 'gray' | 'cyan' | undefined;
export interface Segment {
  text: string;
  colour?: Colour;
  bold?: boolean;
}
export type Line = Segment[];

const LABEL_WIDTH = 28;
const BAR_WIDTH = 30;

function duration(ns: number): string {
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${(ns / 1000).toFixed(1)} µs`;
  return `${(ns / 1_000_000).toFixed(1)} ms`;
}

export function journeyLines(state: JourneyState, header: string): Line[] {
  const max = Math.max(1, ...state.stages.map((s) => s.count));
  const title = state.direction === 'rx' ? `receive path on ${state.ifname}` : `transmit path on ${state.ifname}`;
  const lines: Line[] = [[{ text: title, bold: true }, { text: `   ${header}`, colour: 'gray' }], []];
  state.stages.forEach((stage, i) => {
    if (i > 0) {
      const latency = stage.latencyNs === undefined ? '' : `  ${duration(stage.latencyNs)} per packet`;
      lines.push([{ text: '    │' }, { text: latency, colour: 'gray' }]);
    }
    const bar = '█'.repeat(Math.round((stage.count / max) * BAR_WIDTH));
    lines.push([
      { text: `  ${stage.label.padEnd(LABEL_WIDTH)}` },
      { text: String(stage.count).padStart(8), bold: true },
      { text: `  ${bar.padEnd(BAR_WIDTH)}`, colour: 'green' },
      { text: stage.detail ? `  ${stage.detail}` : '', colour: 'cyan' },
    ]);
    for (const drop of stage.drops) {
      lines.push([{ text: `    ╰─▶ dropped ${drop.reason}`.padEnd(LABEL_WIDTH + 2), colour: 'red' }, { text: String(drop.count).padStart(8), colour: 'red', bold: true }]);
    }
  });
  if (state.otherDrops.length > 0) {
    lines.push([]);
    lines.push([{ text: `  other drops on ${state.ifname}: `, colour: 'gray' }, { text: state.otherDrops.map((d) => `${d.reason} ${d.count}`).join(', '), colour: 'red' }]);
  }
  return lines;
}

export function plainText(lines: Line[]): string {
  return lines.map((l) => l.map((s) => s.text).join('').trimEnd()).join('\n') + '\n';
}
