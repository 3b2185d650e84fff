import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { BarTable } from '../../../src/repl/BarTable.js';
import { HistogramView, type HistBucket } from '../../../src/repl/HistogramView.js';
import { LivePanels } from '../../../src/repl/LivePanels.js';
import { MapPanel } from '../../../src/repl/MapPanel.js';
import { EventsPane } from '../../../src/repl/EventsPane.js';
import type { ProgramInfo } from '../../../src/repl/engine.js';
import { ipCountReading } from './fake-engine.js';

afterEach(() => cleanup());

const lines = (frame: string | undefined) => (frame ?? '').split('\n');

describe('count tables', () => {
  it('sort biggest first, with bars scaled to the biggest', () => {
    const reading = ipCountReading([['10.0.0.9', 38], ['10.0.0.7', 1520], ['10.0.0.8', 760]]);
    const { lastFrame } = render(<BarTable reading={reading} width={40} maxRows={10} />);
    expect(lines(lastFrame())).toEqual([
      '  10.0.0.7  1520 ███████████████████████',
      '  10.0.0.8   760 ███████████▌',
      '  10.0.0.9    38 ▋',
    ]);
  });

  it('show the top N that fit and count the rest', () => {
    const pairs: [string, number][] = Array.from({ length: 50 }, (_, i) => [`10.0.1.${i}`, i + 1]);
    const { lastFrame } = render(<BarTable reading={ipCountReading(pairs)} width={60} maxRows={4} />);
    const out = lines(lastFrame());
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^ {2}10\.0\.1\.49 +50 █+$/);
    expect(out[1]).toMatch(/^ {2}10\.0\.1\.48 +49 /);
    expect(out[2]).toMatch(/^ {2}10\.0\.1\.47 +48 /);
    expect(out[3]).toBe('  … 47 more (50 keys)');
  });

  it('order equal values by key, so rows stay put between redraws', () => {
    const reading = ipCountReading([['10.0.0.3', 5], ['10.0.0.1', 5], ['10.0.0.2', 5]]);
    const { lastFrame } = render(<BarTable reading={reading} width={40} maxRows={10} />);
    expect(lines(lastFrame()).map((l) => l.trim().split(/\s+/)[0])).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('say so when the map is empty', () => {
    const { lastFrame } = render(<BarTable reading={ipCountReading([])} width={40} maxRows={3} />);
    expect(lastFrame()).toBe('  (no data yet)');
  });

  it('never draw a line wider than the terminal', () => {
    const reading = ipCountReading([['10.0.0.7', 123456789], ['10.0.0.8', 1]]);
    for (const width of [20, 30, 80]) {
      const { lastFrame } = render(<BarTable reading={reading} width={width} maxRows={5} />);
      for (const l of lines(lastFrame())) expect(l.length).toBeLessThanOrEqual(width);
    }
  });
});

describe('map panel', () => {
  it('heads the table with what the program wrote and the redraw rate', () => {
    const reading = ipCountReading([['10.0.0.7', 1520], ['10.0.0.9', 38]]);
    const { lastFrame } = render(<MapPanel reading={reading} label="@[ip.src]" intervalMs={1000} width={50} maxRows={5} />);
    expect(lines(lastFrame())[0]).toBe('@[ip.src]  (live, 1s)');
    expect(lines(lastFrame())[1]).toMatch(/^ {2}10\.0\.0\.7 +1520 █+$/);
    const fast = render(<MapPanel reading={reading} programId={2} intervalMs={250} width={50} maxRows={5} />);
    expect(lines(fast.lastFrame())[0]).toBe('[2] @  (live, 250ms)');
  });
});

describe('histograms', () => {
  it('draw buckets as bars once the runtime reads them', () => {
    const reading = ipCountReading([['10.0.0.7', 0]], '@sizes', { kind: 'agg', agg: 'hist' });
    const buckets: HistBucket[] = [
      { lo: 0n, hi: 1n, count: 0n },
      { lo: 64n, hi: 128n, count: 10n },
      { lo: 128n, hi: 256n, count: 0n },
      { lo: 1024n, hi: 2048n, count: 20n },
      { lo: 2048n, hi: 4096n, count: 0n },
    ];
    Object.assign(reading.entries[0]!, { buckets });
    const { lastFrame } = render(<HistogramView reading={reading} width={40} maxRows={10} />);
    expect(lines(lastFrame())).toEqual([
      '[10.0.0.7]',
      '   [64, 128) 10 ███████████▌',
      '  [128, 256)  0',
      '    [1K, 2K) 20 ███████████████████████',
    ]);
  });

  it('fall back to the table while entries carry no buckets', () => {
    const reading = ipCountReading([['10.0.0.7', 3]], '@sizes', { kind: 'agg', agg: 'hist' });
    const { lastFrame } = render(<HistogramView reading={reading} width={40} maxRows={10} />);
    expect(lastFrame()).toMatch(/10\.0\.0\.7 +3 /);
  });
});

const program = (id: number): ProgramInfo => ({ id, source: '', origin: '<repl>', probes: [{ text: 'xdp:lo' }], mapLabels: new Map([['@', '@[ip.src]']]) });

describe('live panels', () => {
  it('share the rows among maps and fit the height they are given', () => {
    const many: [string, number][] = Array.from({ length: 30 }, (_, i) => [`10.1.0.${i}`, 100 - i]);
    const readings = [
      { program: program(1), maps: [ipCountReading(many)] },
      { program: program(2), maps: [ipCountReading(many)] },
    ];
    const { lastFrame } = render(<LivePanels readings={readings} intervalMs={1000} width={60} maxRows={10} />);
    const out = lines(lastFrame());
    expect(out).toHaveLength(10);
    expect(out[0]).toBe('[1] @[ip.src]  (live, 1s)');
    expect(out[5]).toBe('[2] @[ip.src]  (live, 1s)');
    expect(out[4]).toBe('  … 27 more (30 keys)');
  });

  it('say how many maps do not fit', () => {
    const readings = [1, 2, 3].map((id) => ({ program: program(id), maps: [ipCountReading([['10.0.0.1', id]])] }));
    const { lastFrame } = render(<LivePanels readings={readings} intervalMs={1000} width={80} maxRows={5} />);
    const out = lines(lastFrame());
    expect(out).toHaveLength(5);
    expect(out[4]).toMatch(/^… 1 more map /);
  });

  it('show a read failure without hiding the other programs', () => {
    const readings = [
      { program: program(1), maps: [], error: 'interface gone' },
      { program: program(2), maps: [ipCountReading([['10.0.0.1', 4]])] },
    ];
    const { lastFrame } = render(<LivePanels readings={readings} intervalMs={1000} width={60} maxRows={10} />);
    expect(lastFrame()).toContain('[1] cannot read maps: interface gone');
    expect(lastFrame()).toMatch(/10\.0\.0\.1 +4/);
  });
});

describe('events pane', () => {
  it('shows the newest printf lines that fit', () => {
    const events = Array.from({ length: 20 }, (_, i) => ({ programId: 1, text: `packet ${i}\n` }));
    const { lastFrame } = render(<EventsPane events={events} total={20} lost={0n} width={40} maxRows={4} showProgramIds={false} />);
    expect(lines(lastFrame())).toEqual(['printf events (20)', 'packet 17', 'packet 18', 'packet 19']);
  });

  it('says how many events were lost, next to how many came', () => {
    const events = [{ programId: 1, text: 'packet 0\n' }];
    const { lastFrame } = render(<EventsPane events={events} total={1} lost={7n} width={40} maxRows={4} showProgramIds={false} />);
    expect(lines(lastFrame())[0]).toBe('printf events (1, 7 events lost)');
  });
});
