import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, QUIT_NOTICE, type AppProps } from '../../../src/repl/App.js';
import type { CompletionSources } from '../../../src/repl/completion.js';
import { FakeEngine, ipCountReading, span } from './fake-engine.js';

afterEach(() => cleanup());

const sources: CompletionSources = {
  probeKinds: () => ['xdp', 'tc'],
  interfaceKinds: () => ['xdp', 'tc'],
  interfaces: () => ['eth0', 'lo'],
  tracepointKinds: () => [],
  tracepoints: () => [],
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
    for (let i = 0; i < 30; i++) engine.emit({ programId: 1, text: `hello ${i}\n` });
    await tick(150);
    await see('printf events (30)');
    await see(/hello 29\nnettrace>$/);
    expect(frame()).not.toContain('hello 0\n');
  });
});
