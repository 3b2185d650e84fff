// Issue 5: the REPL's redraw cost with a 10,000-key map at 1 Hz. The real REPL runs in a
// tmux terminal (120x40) on the live kernel: `xdp:VETH { @[udp.dport] = count() }` is
// typed at its prompt, datagrams to 10,000 ports fill the map, then for REPL_SECONDS the
// process's CPU time is read from /proc/PID/stat (utime + stime) and every map read and
// frame render is timed through startRepl's onRead / onRender hooks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendUdp } from '../lib/netns.js';
import { fmt, median } from '../lib/stats.js';

export const title = 'REPL redraw with a 10,000-key map';

const DRIVER = fileURLToPath(new URL('../lib/repl-driver.js', import.meta.url));
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(pid) {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export async function run({ quick, log, link }) {
  const seconds = quick ? 10 : 60;
  const keys = 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'nettrace-bench-repl-'));
  const socket = join(dir, 'tmux');
  const metricsFile = join(dir, 'metrics.json');
  const tmux = (...args) => {
    const r = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  };
  const waitFor = async (text, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!tmux('capture-pane', '-p', '-t', 'bench').includes(text)) {
      if (Date.now() > deadline) throw new Error(`the REPL never showed '${text}':\n${tmux('capture-pane', '-p', '-t', 'bench')}`);
      await sleep(100);
    }
  };
  const metrics = () => JSON.parse(readFileSync(metricsFile, 'utf8'));
  tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', `${process.execPath} ${DRIVER} ${metricsFile}; sleep 600`);
  try {
    await waitFor('nettrace>');
    tmux('send-keys', '-t', 'bench', '-l', `xdp:${link.rootIf} { @[udp.dport] = count() }`);
    tmux('send-keys', '-t', 'bench', 'Enter');
    await waitFor('attached');
    sendUdp(link, link.rootAddr, { count: keys, firstPort: 20000, ports: keys });
    await sleep(2500); // two redraws with the full map before measuring
    const pid = metrics().pid;
    const t0 = Date.now();
    const cpu0 = cpuSeconds(pid);
    await sleep(seconds * 1000);
    const cpu1 = cpuSeconds(pid);
    const elapsed = (Date.now() - t0) / 1000;
    const m = metrics();
    const inWindow = (list) => list.filter((x) => x.at >= t0).map((x) => x.ms);
    const reads = inWindow(m.reads);
    const renders = inWindow(m.renders);
    const screen = tmux('capture-pane', '-p', '-t', 'bench');
    const figures = {
      keys,
      seconds: elapsed,
      cpuPercent: ((cpu1 - cpu0) / elapsed) * 100,
      reads: reads.length,
      readMs: median(reads),
      renders: renders.length,
      renderMs: median(renders),
      // The panel's footer says how many keys the map holds: all 10,000 datagrams landed.
      keysInPanel: Number(/\((\d+) keys\)/.exec(screen)?.[1] ?? NaN),
    };
    if (process.env.BENCH_SHOW_SCREEN) log(screen);
    log(`  the panel shows a map of ${figures.keysInPanel} keys`);
    log(`  ${elapsed.toFixed(0)} s: CPU ${fmt(figures.cpuPercent, '%')}, ${reads.length} map reads (median ${fmt(figures.readMs, 'ms')}), ${renders.length} frames (median render ${fmt(figures.renderMs, 'ms')})`);
    tmux('send-keys', '-t', 'bench', '-l', '.quit');
    tmux('send-keys', '-t', 'bench', 'Enter');
    return {
      figures,
      rows: [
        {
          item: `REPL, ${keys}-key map at 1 Hz: CPU / read / render`,
          nettrace: `${fmt(figures.cpuPercent, '%')} / ${fmt(figures.readMs, 'ms')} / ${fmt(figures.renderMs, 'ms')}`,
          peer: '',
          ratio: '',
          target: '',
        },
      ],
    };
  } finally {
    spawnSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
  }
}
