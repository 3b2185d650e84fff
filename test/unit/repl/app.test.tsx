import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, QUIT_NOTICE, type AppProps } from '../../../src/repl/App.js';
import type { CompletionSources } from '../../../src/repl/completion.js';
import { FakeEngine, ipCountReading, span } from './fake-engine.js';

afterEach(() => cleanup());

const sources: CompletionSources = {
  probeKinds: () => ['xdp', 'tc'],
  probes: (provider) => ['eth0', 'lo'].map((i) => `${provider}:${i}`),
  isProbe: () => false,
  words: () => ['count(', 'cpu'],
  fields: (o) => (o === 'ip' ? ['src', 'dst'] : []),
  commands: () => ['.help', '.list', '.quit'],
  files: () => [],
};

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const ENTER = '\r';

function start(over: Partial<AppProps> = {}) {
  const engine = (over.engine as FakeEngine | undefined) ?? new FakeEngine();
  const saved: string[] = [];
  const files = new Map<string, string>();
  const app = render(
    <App
      engine={engine}
      completion={sources}
      intervalMs={60_000}
      saveHistory={(entry) => saved.push(entry)}
      readFile={(p) => {
        const text = files.get(p);
        if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return text;
      }}
      writeFile={(p, t) => files.set(p, t)}
      {...over}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  /** Types text (a chunk, as a paste or tmux send-keys delivers it) and waits for the redraw. */
  const type = async (text: string) => {
    app.stdin.write(text);
    await tick();
  };
  /** Waits until the screen shows `what` (redraws after effects may take a moment on a busy machine). */
  const see = async (what: string | RegExp) => {
    await vi.waitFor(() => (typeof what === 'string' ? expect(frame()).toContain(what) : expect(frame()).toMatch(what)), { timeout: 2000, interval: 10 });
  };
  return { app, engine, saved, files, frame, type, see };
}

describe('the prompt', () => {
  it('shows what is typed, with the cursor', async () => {
    const { type, see } = start();
    await type('xdp:lo');
    await see('nettrace> xdp:lo');
  });

  it('continues the entry on the next line while a { or < is open', async () => {
    const { type, engine, see } = start();
    await type('xdp:lo {' + ENTER);
    expect(engine.running).toHaveLength(0);
    await see(/nettrace> xdp:lo \{\n {5}\.\.\.>$/m);
    await type('  @[ip.src] = count()' + ENTER);
    expect(engine.running).toHaveLength(0);
    await type('}' + ENTER);
    expect(engine.running).toHaveLength(1);
    expect(engine.running[0]!.source).toBe('xdp:lo {\n  @[ip.src] = count()\n}');
  });

  it('completes with Tab and lists several candidates', async () => {
    const { type, see } = start();
    await type('x');
    await type('\t');
    await see('nettrace> xdp:');
    await type('\t');
    await see(/xdp:eth0 +xdp:lo/);
    await type('e');
    await type('\t');
    await see('nettrace> xdp:eth0');
  });

  it('recalls history with the arrow keys and saves each entry', async () => {
    const { type, saved, see } = start({ history: ['.list'] });
    await type('.help' + ENTER);
    expect(saved).toEqual(['.help']);
    await type('\x1b[A');
    await see('nettrace> .help');
    await type('\x1b[A');
    await see('nettrace> .list');
    await type('\x1b[B\x1b[B');
    await see(/nettrace>$/);
  });
});

describe('programs', () => {
  it('attach with an id and show their maps live under the prompt', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [ipCountReading([['10.0.0.7', 1520], ['10.0.0.9', 38]])];
    const { frame, type } = start({ engine });
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    const out = frame();
    expect(out).toContain('nettrace> xdp:eth0 { @[ip.src] = count() }\n[1] attached xdp:eth0 (native mode)');
    expect(out).toContain('@[ip.src]  (live, 60s)');
    expect(out).toMatch(/10\.0\.0\.7 +1520 █{60}\n +10\.0\.0\.9 +38 █▌\n/);
  });

  it('redraw at the interval', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [ipCountReading([['10.0.0.7', 1]])];
    const { type, see } = start({ engine, intervalMs: 30 });
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    await see(/10\.0\.0\.7 +1 /);
    engine.maps.set(1, [ipCountReading([['10.0.0.7', 42]])]);
    await tick(80);
    await see(/10\.0\.0\.7 +42 /);
  });

  it('show compile errors inline with the source line and a caret, and the REPL stays up', async () => {
    const { type, engine, see } = start();
    await type('xdp:eth0 < @[ip.scr] ERROR >' + ENTER);
    await see(
      "error[NT0302]: ip has no field 'scr'\nxdp:eth0 < @[ip.scr] ERROR >\n            ^~~~~~\nhint: did you mean 'src'?",
    );
    engine.failure = [{ code: 'NT0102', severity: 'error', message: "expected '}'", span: span(2, 3, 1, 11), hints: [] }];
    await type('xdp:lo {\n  ERROR' + ENTER);
    await type('}' + ENTER);
    await see("line 2: error[NT0102]: expected '}'\n  ERROR\n  ^");
    await type('xdp:lo { @ = count() }' + ENTER);
    await see('[1] attached xdp:lo');
  });

  it('report an unexpected failure as a bug and keep going', async () => {
    const { type, see } = start();
    await type('xdp:lo { CRASH }' + ENTER);
    await see('internal error: boom');
    await type('.list' + ENTER);
    await see('nothing is attached');
  });
});

describe('commands', () => {
  it('.list, .detach and .print', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [ipCountReading([['10.0.0.7', 3]])];
    const { type, see } = start({ engine });
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    await type('xdp:lo { @[ip.src] = count() }' + ENTER);
    await type('.list' + ENTER);
    await see('[1] xdp:eth0 (native mode)\n    xdp:eth0 { @[ip.src] = count() }\n[2] xdp:lo (native mode)');
    await type('.print 2' + ENTER);
    await see('[2] xdp:lo (native mode)\n@[10.0.0.7]: 3');
    await type('.detach 1' + ENTER);
    await see('[1] detached xdp:eth0');
    expect(engine.running.map((p) => p.id)).toEqual([2]);
    await type('.detach 7' + ENTER);
    await see('there is no program [7]');
  });

  it('.clear resets the maps', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [ipCountReading([['10.0.0.7', 3]])];
    const { type, see } = start({ engine });
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    await type('.clear' + ENTER);
    expect(engine.cleared).toEqual([1]);
    await see('[1] maps reset');
    await see('(no data yet)');
  });

  it('.save writes the attached programs and .load attaches a file', async () => {
    const { type, files, engine, see } = start();
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    await type('.save /tmp/x.nt' + ENTER);
    expect(files.get('/tmp/x.nt')).toBe('xdp:eth0 { @[ip.src] = count() }\n');
    await see('saved 1 program to /tmp/x.nt');
    await type('.load /tmp/x.nt' + ENTER);
    expect(engine.running.map((p) => p.origin)).toEqual(['<repl>', '/tmp/x.nt']);
    await type('.load /nope.nt' + ENTER);
    await see("cannot read '/nope.nt': no such file");
  });

  it('.interval changes the redraw rate; .help lists commands; unknown commands say so', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [ipCountReading([['10.0.0.7', 3]])];
    const { type, see } = start({ engine });
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    await type('.interval 250' + ENTER);
    await see('live panels redraw every 250ms');
    await see('(live, 250ms)');
    await type('.help' + ENTER);
    await see(/\.detach N\|all +detach program N/);
    await type('.frob' + ENTER);
    await see("unknown command '.frob'; .help lists the commands");
  });
});

describe('leaving', () => {
  it('.quit detaches everything and exits', async () => {
    const { type, engine, see } = start();
    await type('xdp:lo { @ = count() }' + ENTER);
    await type('.quit' + ENTER);
    await see('detaching 1 program; bye');
    await vi.waitFor(() => expect(engine.closed).toBeGreaterThan(0));
    expect(engine.running).toHaveLength(0);
  });

  it('Ctrl-C clears a line; on an empty line it asks, and a second press quits', async () => {
    const { type, engine, frame, see } = start();
    await type('xdp:lo');
    await type('\x03');
    await see('nettrace> xdp:lo^C');
    expect(engine.closed).toBe(0);
    await type('\x03');
    await see(QUIT_NOTICE);
    await type('a');
    expect(frame()).not.toContain(QUIT_NOTICE);
    await type('\x7f\x03');
    await type('\x03');
    await vi.waitFor(() => expect(engine.closed).toBe(1));
  });

  it('Ctrl-D quits on an empty line and deletes forward otherwise', async () => {
    const { type, engine, see } = start();
    await type('ab');
    await type('\x01'); // Ctrl-A
    await type('\x04');
    await see('nettrace> b');
    expect(engine.closed).toBe(0);
    await type('\x04\x04');
    await vi.waitFor(() => expect(engine.closed).toBe(1));
  });
});

describe('terminal size', () => {
  it('fits the live area to the terminal and follows a resize', async () => {
    const engine = new FakeEngine();
    const many: [string, number][] = Array.from({ length: 100 }, (_, i) => [`10.2.0.${i}`, 1000 - i]);
    engine.nextMaps = [ipCountReading(many)];
    const { app, frame, type } = start({ engine });
    const stdout = app.stdout as unknown as { columns: number; rows: number; emit(e: string): void };
    const resize = async (columns: number, rows: number) => {
      Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
      Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
      stdout.emit('resize');
      await tick();
    };
    await resize(100, 20);
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    const live = (f: string) => f.slice(f.indexOf('@[ip.src]  (live'));
    let shown = live(frame()).split('\n');
    expect(shown).toHaveLength(19); // 20 rows: panel + prompt, one row kept free
    expect(shown[shown.length - 2]).toMatch(/… \d+ more \(100 keys\)/);
    await resize(40, 12);
    shown = live(frame()).split('\n');
    expect(shown).toHaveLength(11);
    for (const l of shown) expect(l.length).toBeLessThanOrEqual(40);
    expect(shown[1]).toMatch(/^ {2}10\.2\.0\.0 +1000 █+$/);
  });

  it('clears the re-wrapped screen when the terminal gets narrower and prints the transcript again', async () => {
    const { app, type, see } = start();
    const stdout = app.stdout as unknown as { columns: number; emit(e: string): void; frames: string[] };
    await type('.list' + ENTER);
    Object.defineProperty(stdout, 'columns', { value: 50, configurable: true });
    stdout.emit('resize');
    await tick(200);
    expect(stdout.frames).toContain('\x1b[2J\x1b[3J\x1b[H');
    await see('nettrace> .list\nnothing is attached');
  });
});

describe('printf events', () => {
  it('scroll in their own pane under the maps', async () => {
    const { frame, type, engine, see } = start();
    await type('xdp:lo { printf("hi") }' + ENTER);
    for (let i = 0; i < 30; i++) engine.emit({ kind: 'printf', programId: 1, text: `hello ${i}\n` });
    await tick(150);
    await see('printf events (30)');
    await see(/hello 29\nnettrace>$/);
    expect(frame()).not.toContain('hello 0\n');
  });
});

// Issue 10: what a program's run reports (runtime/run/) reaches the screen.
describe('what a running program reports', () => {
  const countMap = (n: number) => ipCountReading([['10.0.0.7', n]], '@n', { kind: 'agg', agg: 'count' });

  it('shows lost events in the events pane and on the program panel, and in all when it ends', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [countMap(300)];
    engine.status.set(1, { lostEvents: 297n, fullMaps: [] });
    const { type, see } = start({ engine, intervalMs: 30 });
    await type('tracepoint:syscalls:sys_enter_getppid { @n = count(); printf("ev\\n") }' + ENTER);
    for (let i = 0; i < 3; i++) engine.emit({ kind: 'printf', programId: 1, text: 'ev\n' });
    engine.emit({ kind: 'lost', programId: 1, total: 297n });
    await see('printf events (3, 297 events lost)');
    await see('[1] 297 events lost: the ring buffer was full');
    await type('.detach 1' + ENTER);
    await see('[1] 297 events lost in all: the ring buffer was full');
  });

  it('reports an interface that disappeared (NT0506) and the program it ended, with its maps', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [ipCountReading([['10.0.0.7', 4]])];
    const { type, see } = start({ engine });
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    const program = engine.running[0]!;
    const gone = { code: 'NT0506', severity: 'error' as const, message: "interface 'eth0' disappeared: xdp:eth0 is detached", hints: ['no probe is left attached: stopping and printing the maps'] };
    engine.emit({ kind: 'warning', program, diagnostics: [gone] });
    engine.end(program, { reason: 'interfaces-gone', maps: [ipCountReading([['10.0.0.7', 4]])], lostEvents: 0n, fullMaps: [] });
    await see("[1] error[NT0506]: interface 'eth0' disappeared: xdp:eth0 is detached\nhint: no probe is left attached: stopping and printing the maps");
    await see('[1] no probe is left on an interface: detached xdp:eth0\n@[10.0.0.7]: 4');
    await type('.list' + ENTER);
    await see('.list\nnothing is attached');
  });

  it('reports a full map (NT0507) as it fills, on its panel, and with the final count when it ends', async () => {
    const engine = new FakeEngine();
    const ports = { ...ipCountReading([['10.0.0.7', 1]], '@ports'), map: { ...ipCountReading([], '@ports').map, maxEntries: 8 } };
    engine.nextMaps = [ports];
    engine.status.set(1, { lostEvents: 0n, fullMaps: [{ map: ports.map, refused: 12n }] });
    const { type, see } = start({ engine, intervalMs: 30 });
    await type('xdp:eth0 { @ports[udp.dport] = count() }' + ENTER);
    const program = engine.running[0]!;
    const full = { code: 'NT0507', severity: 'warning' as const, message: '@ports is full (8 entries): updates that need a new key are dropped', hints: [] };
    engine.emit({ kind: 'warning', program, diagnostics: [full] });
    await see('[1] warning[NT0507]: @ports is full (8 entries)');
    await see('full (8 keys): 12 updates dropped');
    const final = { ...full, message: '@ports was full (8 entries): 12 updates were dropped' };
    engine.end(program, { reason: 'stopped', maps: [ports], lostEvents: 0n, fullMaps: [final] });
    await see('[1] warning[NT0507]: @ports was full (8 entries): 12 updates were dropped');
  });

  it('prints the maps of a program when it is detached, and when it calls exit()', async () => {
    const engine = new FakeEngine();
    engine.nextMaps = [ipCountReading([['10.0.0.7', 3]])];
    const { type, see } = start({ engine });
    await type('xdp:eth0 { @[ip.src] = count() }' + ENTER);
    await type('.detach 1' + ENTER);
    await see('[1] detached xdp:eth0\n@[10.0.0.7]: 3');
    await type('xdp:lo { @[ip.src] = count(); exit() }' + ENTER);
    engine.end(engine.running[0]!, { reason: 'exit', maps: [ipCountReading([['10.0.0.9', 1]])], lostEvents: 0n, fullMaps: [] });
    await see('[2] called exit(): detached xdp:lo\n@[10.0.0.9]: 1');
  });
});

describe('.save and .load', () => {
  const first = 'xdp:eth0 { @[ip.src] = count() }';
  const second = 'tc:eth0 {\n  @[ip.src] = sum(pkt.len)\n}';

  it('restore separately attached programs as the same separate programs, in order', async () => {
    const { type, files, engine, see } = start();
    await type(first + ENTER);
    await type('tc:eth0 {' + ENTER + '  @[ip.src] = sum(pkt.len)' + ENTER + '}' + ENTER);
    await type('.save /tmp/two.nt' + ENTER);
    await see('saved 2 programs to /tmp/two.nt');
    await type('.detach all' + ENTER);
    expect(engine.running).toEqual([]);
    await type('.load /tmp/two.nt' + ENTER);
    expect(engine.running.map((p) => [p.id, p.source.trim(), p.origin])).toEqual([
      [3, first, '/tmp/two.nt'],
      [4, second, '/tmp/two.nt'],
    ]);
    await see('[3] attached xdp:eth0 (native mode)\n[4] attached tc:eth0 (native mode)');
    // Saved again, the file is the same.
    const saved = files.get('/tmp/two.nt');
    await type('.save /tmp/again.nt' + ENTER);
    expect(files.get('/tmp/again.nt')).toBe(saved);
  });

  it('attach none of a file when one of its programs fails, and place the error in the file', async () => {
    const { type, files, engine, see } = start();
    files.set('/tmp/bad.nt', `// nettrace program 1 of 2\n${first}\n\n// nettrace program 2 of 2\nxdp:eth0 < @[ip.scr] ERROR >\n`);
    engine.failure = [{ code: 'NT0302', severity: 'error', message: "ip has no field 'scr'", span: span(1, 13, 6), hints: [] }];
    await type('.load /tmp/bad.nt' + ENTER);
    await see("/tmp/bad.nt:5:13: error[NT0302]: ip has no field 'scr'\nxdp:eth0 < @[ip.scr] ERROR >\n            ^~~~~~");
    await see('/tmp/bad.nt: program 2 of 2 did not attach, so none of them is attached');
    expect(engine.running).toEqual([]);
    expect(engine.discarded).toEqual([1]);
  });
});
