// The journey redrawn by Ink every interval, on a terminal. Loaded only there, after
// React's production build is chosen (see repl/index.tsx on why).
import { render } from 'ink';
import { JourneyView } from './JourneyView.js';
import type { Line } from './lines.js';

export function startLiveView(picture: () => Line[], intervalMs: number): { stop(last: Line[]): void } {
  const instance = render(<JourneyView lines={picture()} />, { exitOnCtrlC: false });
  const timer = setInterval(() => instance.rerender(<JourneyView lines={picture()} />), intervalMs);
  return {
    stop(last) {
      clearInterval(timer);
      if (last.length > 0) instance.rerender(<JourneyView lines={last} />);
      instance.unmount();
    },
  };
}
