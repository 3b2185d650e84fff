// Issue 5, end to end: the real REPL in a real terminal (tmux), on a veth of the test's
// own namespace. Type a probe, send N packets, read the screen until the live panel shows
// N for the sender's address, detach, quit, and check nothing is left attached.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NETTRACE_BIN, sleep } from '../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, xdpAttached, type TestLink } from '../helpers/netns.js';

const COLUMNS = 120;
const ROWS = 40;
const EXIT_MARK = 'nettrace exited with status';

/** A tmux server of our own (its own socket), so nothing else the machine runs is touched. */
class Terminal {
  private readonly dir = mkdtempSync(join(tmpdir(), 'nt-repl-tmux-'));
  readonly socket = join(this.dir, 'socket');

  static requireTmux(): void {
    const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new Error('this test drives the REPL in a real terminal and needs tmux: apt-get install tmux (add it to setup.sh)');
    }
  }

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Runs `command` in a detached session; the pane stays open after it exits, saying how. */
  start(command: string): void {
    this.tmux('new-session', '-d', '-s', 'repl', '-x', String(COLUMNS), '-y', String(ROWS), 'sh', '-c', `${command}; echo "${EXIT_MARK} $?"; sleep 3600`);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'repl');
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'repl', '-l', text);
    this.tmux('send-keys', '-t', 'repl', 'Enter');
  }

  async waitFor(what: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof what === 'string' ? screen.includes(what) : what.test(screen)) return screen;
      if (screen.includes(EXIT_MARK)) throw new Error(`nettrace exited before the screen showed ${String(what)}; it shows:\n${screen}`);
      if (Date.now() > deadline) throw new Error(`the screen never showed ${String(what)}; it shows:\n${screen}`);
      await sleep(100);
    }
  }

  destroy(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let link: TestLink | undefined;
let terminal: Terminal | undefined;
let home: string | undefined;

afterEach(() => {
  terminal?.destroy();
  link?.destroy();
  if (home) rmSync(home, { recursive: true, force: true });
  terminal = link = home = undefined;
});

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The test's network, and nettrace exactly as a user starts it (with `flags`), in a 120x40 terminal. */
async function startRepl(...flags: string[]): Promise<{ link: TestLink; terminal: Terminal; home: string }> {
  Terminal.requireTmux();
  link = createTestLink();
  terminal = new Terminal();
  home = mkdtempSync(join(tmpdir(), 'nt-repl-home-')); // history goes here, not in the real home
  const command = [process.execPath, NETTRACE_BIN, ...flags].map(shellQuote).join(' ');
  terminal.start(`HOME=${shellQuote(home)} ${command}`);
  await terminal.waitFor(/^nettrace>/m);
  return { link, terminal, home };
}

describe('the REPL in a real terminal', () => {
  it('attaches a typed probe, shows live counts, detaches and quits leaving nothing attached', async () => {
    const { link, terminal, home } = await startRepl();
    const program = `xdp:${link.rootIf} { @[ip.src] = count() }`;
    terminal.type(program);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    expect(xdpAttached(link.rootIf)).toBe(true);

    const packets = 25;
    sendUdpFromNamespace(link, link.rootAddr, 9, packets);
    const panel = await terminal.waitFor(new RegExp(`^\\s+${escapeRe(link.nsAddr)}\\s+${packets} `, 'm'));
    expect(panel).toContain('@[ip.src]  (live, 1s)');

    terminal.type('.detach 1');
    // The maps are printed as the program goes.
    await terminal.waitFor(`[1] detached xdp:${link.rootIf}\n@[${link.nsAddr}]: ${packets}\n`);
    expect(xdpAttached(link.rootIf)).toBe(false);

    terminal.type('.quit');
    const end = await terminal.waitFor(EXIT_MARK);
    expect(end).toContain(`${EXIT_MARK} 0`);
    expect(xdpAttached(link.rootIf)).toBe(false);
    expect(readFileSync(join(home, '.nettrace_history'), 'utf8')).toBe(`${program}\n.detach 1\n.quit\n`);
  });

  it('quitting with programs still attached detaches them', async () => {
    const { link, terminal } = await startRepl();
    terminal.type(`xdp:${link.rootIf} < @[ip.src] = count() >`);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    expect(xdpAttached(link.rootIf)).toBe(true);
    // Ctrl-D on the empty line quits.
    terminal.tmux('send-keys', '-t', 'repl', 'C-d');
    await terminal.waitFor(`${EXIT_MARK} 0`);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });

  it('a program that calls exit() is detached, with its printf lines shown and its maps printed', async () => {
    const { link, terminal } = await startRepl();
    terminal.type(`xdp:${link.rootIf} { @[ip.src] = count(); if (udp.dport == 9) { printf("got %s\\n", ip.src); exit() } }`);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    sendUdpFromNamespace(link, link.rootAddr, 7, 5);
    sendUdpFromNamespace(link, link.rootAddr, 9, 1);
    await terminal.waitFor(`[1] called exit(): detached xdp:${link.rootIf}\n@[${link.nsAddr}]: 6\n`);
    await terminal.waitFor(`got ${link.nsAddr}`);
    for (let i = 0; i < 100 && xdpAttached(link.rootIf); i++) await sleep(50);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });

  it('closing the terminal (SIGHUP) detaches', async () => {
    const { link, terminal } = await startRepl();
    terminal.type(`xdp:${link.rootIf} < @[ip.src] = count() >`);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    terminal.tmux('kill-session', '-t', 'repl');
    for (let i = 0; i < 100 && xdpAttached(link.rootIf); i++) await sleep(50);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });
});

/** Runs `count` getppid() calls in a child process as fast as it can (see test/reliability/ringbuf-flood.test.ts). */
function flood(count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', `import os\nfor _ in range(${count}): os.getppid()`], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the flood exited with ${code}`))));
  });
}

/** Waits until the screen stops changing where `re` matches, and returns that match. */
async function settled(terminal: Terminal, re: RegExp): Promise<RegExpExecArray> {
  let last = '';
  for (;;) {
    await sleep(500);
    const m = re.exec(await terminal.waitFor(re));
    if (m![0] === last) return m!;
    last = m![0];
  }
}

// Issue 10: the REPL runs its programs under the same run policy as `nettrace -e`.
describe('what a program reports in the REPL', () => {
  it('shows the printf events the ring buffer lost, in the events pane, on the panel and when it ends: lost = produced − received', async () => {
    const { terminal } = await startRepl('--ring-pages', '1');
    terminal.type('tracepoint:syscalls:sys_enter_getppid { @produced = count(); printf("ev %d\\n", pid) }');
    await terminal.waitFor('[1] attached tracepoint:syscalls:sys_enter_getppid');
    await flood(200_000);
    await terminal.waitFor(/printf events \(\d+, \d+ events lost\)/);
    await terminal.waitFor(/^\[1\] \d+ events lost: the ring buffer was full/m);
    terminal.type('.detach 1');
    const end = await terminal.waitFor(/^@produced: (\d+)\n\[1\] (\d+) events lost in all: the ring buffer was full/m);
    const [, produced, lostInAll] = /^@produced: (\d+)\n\[1\] (\d+) events lost in all/m.exec(end)!.map(Number);
    const [, received, lost] = (await settled(terminal, /printf events \((\d+), (\d+) events lost\)/)).map(Number);
    expect(produced).toBeGreaterThanOrEqual(200_000);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBe(lostInAll);
    expect(received + lost).toBe(produced);
  });

  it('reports interfaces deleted under xdp and tc programs (NT0506) and detaches them within 2 s, maps printed', async () => {
    const { link, terminal } = await startRepl();
    terminal.type(`xdp:${link.rootIf} { @x[ip.src] = count() }`);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    terminal.type(`tc:${link.rootIf}:ingress { @t[ip.src] = count() }`);
    await terminal.waitFor(`[2] attached tc:${link.rootIf}:ingress`);
    sendUdpFromNamespace(link, link.rootAddr, 9, 4);
    await terminal.waitFor(new RegExp(`^\\[2\\] @t\\[ip.src\\].*\\n\\s+${escapeRe(link.nsAddr)}\\s+4 `, 'm'));
    const deleted = Date.now();
    execFileSync('ip', ['link', 'del', link.rootIf]);
    const screen = await terminal.waitFor(`[2] no probe is left on an interface: detached tc:${link.rootIf}:ingress\n@t[${link.nsAddr}]: 4\n`, 5000);
    await terminal.waitFor(`[1] no probe is left on an interface: detached xdp:${link.rootIf}\n@x[${link.nsAddr}]: 4\n`, 100);
    expect(Date.now() - deleted).toBeLessThan(2000 + 500); // the watch looks once a second
    expect(screen).toContain(`[1] error[NT0506]: interface '${link.rootIf}' disappeared: xdp:${link.rootIf} is detached`);
    expect(screen).toContain(`[2] error[NT0506]: interface '${link.rootIf}' disappeared: tc:${link.rootIf}:ingress is detached`);
    terminal.type('.list');
    await terminal.waitFor('.list\nnothing is attached');
  });

  it('reports a full map (NT0507) as it fills and with its count when it ends', async () => {
    const { link, terminal } = await startRepl('--map-entries', '8');
    terminal.type(`xdp:${link.rootIf} { @ports[udp.dport] = count() }`);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    for (let port = 5000; port < 5020; port++) sendUdpFromNamespace(link, link.rootAddr, port, 1);
    await terminal.waitFor('[1] warning[NT0507]: @ports is full (8 entries): updates that need a new key are dropped');
    await terminal.waitFor('full (8 keys): 12 updates dropped');
    terminal.type('.detach 1');
    const end = await terminal.waitFor('[1] warning[NT0507]: @ports was full (8 entries): 12 updates were dropped');
    expect(end.match(/^@ports\[\d+\]: 1$/gm)).toHaveLength(8);
  });

  it('.save, .detach all, .load: the same separate programs, each with its own maps', async () => {
    const { link, terminal, home } = await startRepl();
    const count = `xdp:${link.rootIf} { @[ip.src] = count() }`;
    const sum = `tc:${link.rootIf}:ingress { @[ip.src] = sum(pkt.len) }`;
    terminal.type(count);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    terminal.type(sum);
    await terminal.waitFor(`[2] attached tc:${link.rootIf}:ingress`);
    const file = join(home, 'two.nt');
    terminal.type(`.save ${file}`);
    await terminal.waitFor(`saved 2 programs to ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(`// nettrace program 1 of 2\n${count}\n\n// nettrace program 2 of 2\n${sum}\n`);
    terminal.type('.detach all');
    await terminal.waitFor(`[2] detached tc:${link.rootIf}:ingress`);
    terminal.type(`.load ${file}`);
    await terminal.waitFor(`[3] attached xdp:${link.rootIf} (native mode)\n[4] attached tc:${link.rootIf}:ingress`);
    // 2 datagrams of 16 bytes: 58-byte frames at tc (Ethernet, IPv4, UDP, payload).
    sendUdpFromNamespace(link, link.rootAddr, 9, 2);
    await sleep(300);
    terminal.type('.print');
    await terminal.waitFor(`[3] xdp:${link.rootIf} (native mode)\n@[${link.nsAddr}]: 2\n\n[4] tc:${link.rootIf}:ingress`);
    await terminal.waitFor(new RegExp(`^\\[4\\] tc:${escapeRe(link.rootIf)}:ingress.*\\n@\\[${escapeRe(link.nsAddr)}\\]: 116$`, 'm'));
  });
});
