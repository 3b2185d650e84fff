// How the rows under the transcript are shared out. Ink redraws its live area in place
// only while it is shorter than the terminal (taller, it clears the whole screen on every
// frame), so every panel gets a row budget and renders to fit it.

/**
 * Shares `available` rows among panels that want `wanted[i]` rows each. Panels first get
 * `minimum` rows (header and one line) in order; the rest is spread evenly. A panel that
 * gets 0 rows is not shown.
 */
export function allocateRows(wanted: readonly number[], available: number, minimum = 2): number[] {
  const out = wanted.map(() => 0);
  let left = Math.max(0, available);
  for (let i = 0; i < wanted.length; i++) {
    const m = Math.min(minimum, wanted[i]!);
    if (left < m) break;
    out[i] = m;
    left -= m;
  }
  for (;;) {
    const growing = out.map((rows, i) => i).filter((i) => out[i]! > 0 && out[i]! < wanted[i]!);
    if (left === 0 || growing.length === 0) break;
    const share = Math.max(1, Math.floor(left / growing.length));
    for (const i of growing) {
      const give = Math.min(share, wanted[i]! - out[i]!, left);
      out[i]! += give;
      left -= give;
    }
  }
  return out;
}

export interface ScreenBudget {
  panels: number;
  events: number;
}

/**
 * Rows for the live panels and the events pane, once the prompt and its notes are placed.
 * One row is always left free so the live area stays shorter than the terminal.
 */
export function screenBudget(rows: number, promptRows: number, eventCount: number): ScreenBudget {
  const available = Math.max(0, rows - promptRows - 1);
  if (eventCount === 0) return { panels: available, events: 0 };
  const events = Math.min(eventCount + 1, Math.max(4, Math.floor(available / 3)), available);
  return { panels: available - events, events };
}
