// Issue 12.2: the REPL from launch to its first prompt, on a real terminal (a pty made by
// script(1)): the time from spawn until `nettrace>` comes out of the terminal. Beside it,
// the floor of this way of measuring: a Node process that prints `nettrace>` at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NETTRACE } from '../lib/procs.js';
import { fmt, median } from '../lib/stats.js';

export const title = 'REPL: launch to first prompt';

const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;

async function timeToPrompt(command, env) {
  const started = performance.now();
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env }, detached: true });
  const closed = new Promise((resolve) => child.on('close', resolve));
  let out = '';
  let promptMs;
  const seen = new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (promptMs === undefined && out.includes('nettrace>')) {
        promptMs = performance.now() - started;
        resolve();
      }
    });
    closed.then(resolve);
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, 20_000).unref());
  await Promise.race([seen, timeout]);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone already
  }
  await closed;
  if (promptMs === undefined) throw new Error(`no prompt within 20 s: ${out.slice(-300)}`);
  return promptMs;
}

export async function run({ rounds, log }) {
  const home = mkdtempSync(join(tmpdir(), 'nettrace-bench-home-')); // an empty REPL history
  const env = { HOME: home, TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' };
  const repl = [];
  const floor = [];
  try {
    for (let r = 0; r < Math.max(rounds, 5); r++) {
      repl.push(await timeToPrompt(`${quote(process.execPath)} ${quote(NETTRACE)}`, env));
      floor.push(await timeToPrompt(`${quote(process.execPath)} -e ${quote("console.log('nettrace>'); setTimeout(() => {}, 20000)")}`, env));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  const figures = { promptMs: median(repl), nodeFloorMs: median(floor), rounds: repl, floorRounds: floor };
  log(`  first prompt after ${fmt(figures.promptMs, 'ms')} (a Node process printing at once: ${fmt(figures.nodeFloorMs, 'ms')})`);
  return {
    figures,
    rows: [
      {
        item: 'REPL: launch → first prompt',
        nettrace: fmt(figures.promptMs, 'ms'),
        peer: `Node printing at once ${fmt(figures.nodeFloorMs, 'ms')}`,
        ratio: '',
        target: '≤ 300 ms',
      },
    ],
  };
}
