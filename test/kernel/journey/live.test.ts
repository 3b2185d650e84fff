// The journey view on a real terminal (tmux): `nettrace journey IF` drawn live by Ink,
// and `.journey IF` in the REPL. N packets through the test's own veth pair must show as
// N on every stage's line while the view runs; Ctrl-C (or .detach) ends it with nothing
// left attached.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NETTRACE_BIN, sleep } from '../../helpers/cli.js';
import { createTestLink, macAddress, sendUdp, udpSink, xdpAttached, type TestLink } from '../../helpers/netns.js';

const EXIT_MARK = 'nettrace exited with status';

/** A tmux server on a socket of its own, one 110x40 window running nettrace. */
class Terminal {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ntl-tmux-'));
  private readonly socket = join(this.dir, 'socket');
  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }
  start(args: string[]): void {
    const command = [process.execPath, NETTRACE_BIN, ...args].map((a) => `'${a}'`).join(' ');
    this.tmux('new-session', '-d', '-s', 'jv', '-x', '110', '-y', '40', 'sh', '-c', `trap : INT; HOME=${this.dir} ${command}; echo "${EXIT_MARK} $?"; sleep 3600`);
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'jv');
  }
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'jv', ...keys);
  }
  async waitFor(what: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (what.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${what}; it shows:\n${screen}`);
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
afterEach(() => {
  terminal?.destroy();
  link?.destroy();
  terminal = link = undefined;
});

function quietLink(): TestLink {
  const l = createTestLink();
  execFileSync('ip', ['neigh', 'replace', l.nsAddr, 'lladdr', macAddress(l.nsIf, l.ns), 'dev', l.rootIf, 'nud', 'permanent']);
  l.exec('ip', ['neigh', 'replace', l.rootAddr, 'lladdr', macAddress(l.rootIf), 'dev', l.nsIf, 'nud', 'permanent']);
  return l;
}

const stageLine = (label: string, n: number) => new RegExp(`^  ${label.replace(/[()/]/g, '\\$&')}\\s+${n}\\s+█`, 'm');

describe('the journey view in a terminal', () => {
  it('nettrace journey IF: live counts per stage, a drop branch, Ctrl-C ends it', async () => {
    link = quietLink();
    terminal = new Terminal();
    const sink = await udpSink(link.rootAddr, 7300);
    try {
      terminal.start(['journey', link.rootIf]);
      await terminal.waitFor(/receive path on/);
      sendUdp(link, { dest: link.rootAddr, port: 7300, count: 12 });
      sendUdp(link, { dest: link.rootAddr, port: 7301, count: 3 });
      const screen = await terminal.waitFor(/dropped NO_SOCKET\s+3/);
      for (const label of ['NIC / XDP', 'netif_receive_skb', 'tc ingress', 'IP (IPv4)']) expect(screen).toMatch(stageLine(label, 15));
      expect(screen).toMatch(stageLine('socket', 12));
      expect(xdpAttached(link.rootIf)).toBe(true);
      terminal.keys('C-c');
      await terminal.waitFor(new RegExp(`${EXIT_MARK} 0`));
      expect(xdpAttached(link.rootIf)).toBe(false);
    } finally {
      sink.close();
    }
  });

  it('.journey IF in the REPL draws the diagram in place of map panels; .detach removes it', async () => {
    link = quietLink();
    terminal = new Terminal();
    terminal.start([]);
    await terminal.waitFor(/^nettrace>/m);
    terminal.tmux('send-keys', '-t', 'jv', '-l', `.journey ${link.rootIf}`);
    terminal.keys('Enter');
    await terminal.waitFor(/\[1\] attached xdp:/);
    sendUdp(link, { dest: link.rootAddr, port: 7302, count: 9 });
    const screen = await terminal.waitFor(stageLine('tc ingress', 9));
    expect(screen).toContain(`receive path on ${link.rootIf}`);
    expect(screen).toMatch(stageLine('NIC / XDP', 9));
    expect(screen).toMatch(/dropped NO_SOCKET\s+9/);
    expect(screen).not.toContain('@xdp'); // no map panels for it
    terminal.tmux('send-keys', '-t', 'jv', '-l', '.detach 1');
    terminal.keys('Enter');
    await terminal.waitFor(/\[1\] detached/);
    expect(xdpAttached(link.rootIf)).toBe(false);
    terminal.tmux('send-keys', '-t', 'jv', '-l', '.quit');
    terminal.keys('Enter');
    await terminal.waitFor(new RegExp(`${EXIT_MARK} 0`));
  });
});
