// Runs the nettrace command of this checkout exactly as a user would (node bin/nettrace.js
// ARGS), and waits for what it prints. Under TCG one run takes 4-10 s (more while the
// other guests compete for the CPU), hence the long waits.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const NETTRACE_BIN = fileURLToPath(new URL('../../../bin/nettrace.js', import.meta.url));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every run still going, so a case that fails midway can have them killed. */
export const running = new Set();

export function start(args) {
  const child = spawn(process.execPath, [NETTRACE_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    }),
  );
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    /** Resolves once stdout contains `text`; rejects when nettrace exits first or after `timeoutMs`. */
    async waitFor(text, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (ended() || Date.now() > deadline) {
          throw new Error(`nettrace ${ended() ? 'exited' : 'timed out'} before printing '${text}'.\nstdout:\n${out}\nstderr:\n${err}`);
        }
        await sleep(50);
      }
    },
  };
}

/** Runs nettrace to its end (killed after `timeoutMs`); resolves with { code, stdout, stderr }. */
export async function runToEnd(args, timeoutMs = 120_000) {
  const run = start(args);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/**
 * Starts nettrace, waits until it has attached, runs `traffic`, lets the kernel finish
 * with the packets, stops it with SIGINT (as Ctrl-C) and resolves with what it printed.
 */
export async function traceDuring(args, traffic, settleMs = 500) {
  const run = start(args);
  try {
    await run.waitFor('Attaching');
    await traffic();
    await sleep(settleMs);
    run.child.kill('SIGINT');
    const code = await run.exited;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  }
}

/** The map lines of nettrace's output (those starting with @), sorted: the exact result to compare. */
export const mapLines = (stdout) => stdout.split('\n').filter((l) => l.startsWith('@')).sort();
