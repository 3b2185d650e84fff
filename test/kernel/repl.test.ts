// Issue 5, end to end: the real REPL in a real terminal (tmux), on a veth of the test's
// own namespace. Type a probe, send N packets, read the screen until the live panel shows
// N for the sender's address, detach, quit, and check nothing is left attached.
import { spawnSync } from 'node:child_process';
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

/** The test's network, and nettrace exactly as a user starts it, in a 120x40 terminal. */
async function startRepl(): Promise<{ link: TestLink; terminal: Terminal; home: string }> {
  Terminal.requireTmux();
  link = createTestLink();
  terminal = new Terminal();
  home = mkdtempSync(join(tmpdir(), 'nt-repl-home-')); // history goes here, not in the real home
  terminal.start(`HOME=${shellQuote(home)} ${shellQuote(process.execPath)} ${shellQuote(NETTRACE_BIN)}`);
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
    await terminal.waitFor(`[1] detached xdp:${link.rootIf}`);
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

  it('a program that calls exit() is detached, with its printf lines shown', async () => {
    const { link, terminal } = await startRepl();
    terminal.type(`xdp:${link.rootIf} /udp.dport == 9/ { printf("got %s\\n", ip.src); exit() }`);
    await terminal.waitFor(`[1] attached xdp:${link.rootIf}`);
    sendUdpFromNamespace(link, link.rootAddr, 9, 1);
    await terminal.waitFor('[1] called exit(): detached');
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
