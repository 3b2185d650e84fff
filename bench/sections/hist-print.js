// Issue 12.5: printing a 63,000-key hist map at exit, against bpftrace. Each tool runs
// `@h[nsecs] = hist(nsecs % 1024)` on the getppid syscall of one generator process, which
// makes 63,000 calls (63,000 keys: nsecs differs on every call); then the tool gets
// SIGINT and prints its map. The figure is SIGINT to exit, with all the text read from its
// stdout: reading the map out of the kernel, merging the per-CPU slots, formatting and
// writing 63,000 histograms.
import { spawn } from 'node:child_process';
import { launch, nettraceArgs } from '../lib/procs.js';
import { fmt, fmtRatio, median, ratio } from '../lib/stats.js';

export const title = 'Printing a 63,000-key hist map';

const KEYS = 63_000;
const MAP_ENTRIES = 65_536;

/** A process that makes `calls` getppid() calls when told to (a line on stdin), then exits. */
function generator(calls) {
  const child = spawn(process.execPath, ['-e', `process.stdin.once('data', () => { let s = 0; for (let i = 0; i < ${calls}; i++) s += process.ppid; process.stdout.write('done ' + s + '\\n'); process.exit(0); });`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const done = new Promise((resolve) => child.on('exit', resolve));
  return { pid: child.pid, go: () => child.stdin.write('go\n'), done };
}

const program = (pid) => `tracepoint:syscalls:sys_enter_getppid /pid == ${pid}/ { @h[nsecs] = hist(nsecs % 1024) }`;

/** Milliseconds from SIGINT to exit, and the number of keys printed. */
async function printTime(tool) {
  const gen = generator(KEYS);
  const run = tool === 'nettrace'
    ? launch(process.execPath, nettraceArgs('--map-entries', String(MAP_ENTRIES), '-e', program(gen.pid)), { line: 'Attaching ' })
    : launch('bpftrace', ['-e', program(gen.pid)], { line: 'Attaching ', env: { BPFTRACE_MAP_KEYS_MAX: String(MAP_ENTRIES) } });
  try {
    await run.ready;
    await new Promise((r) => setTimeout(r, 500)); // bpftrace prints "Attaching" before it attaches
    gen.go();
    await gen.done;
    const t0 = performance.now();
    // stop() sends the one SIGINT (a second one could end either tool before it has printed).
    const end = await run.stop('SIGINT', { once: true });
    const ms = performance.now() - t0;
    if (end.hung) throw new Error(`${tool} did not exit within 10 s of SIGINT`);
    const keys = (end.stdout.match(/^@h\[/gm) ?? []).length;
    return { ms, keys, bytes: end.stdout.length };
  } finally {
    if (run.child.exitCode === null) await run.stop('SIGKILL', { once: true });
  }
}

export async function run({ rounds, log, peers }) {
  const n = Math.min(rounds, 3);
  const nt = [];
  const bt = [];
  for (let r = 0; r < n; r++) {
    nt.push(await printTime('nettrace'));
    if (peers.bpftrace) bt.push(await printTime('bpftrace'));
  }
  const figures = {
    keys: KEYS,
    nettraceMs: median(nt.map((x) => x.ms)),
    bpftraceMs: median(bt.map((x) => x.ms)),
    nettraceKeys: median(nt.map((x) => x.keys)),
    bpftraceKeys: median(bt.map((x) => x.keys)),
    nettraceRounds: nt,
    bpftraceRounds: bt,
  };
  log(`  nettrace ${fmt(figures.nettraceMs, 'ms')} (${figures.nettraceKeys} keys printed), bpftrace ${fmt(figures.bpftraceMs, 'ms')} (${figures.bpftraceKeys} keys printed)`);
  return {
    figures,
    rows: [
      {
        item: 'print a 63,000-key `@h[k] = hist(v)` map at exit (SIGINT → exit)',
        nettrace: fmt(figures.nettraceMs, 'ms'),
        peer: `bpftrace ${fmt(figures.bpftraceMs, 'ms')}`,
        ratio: fmtRatio(ratio(figures.nettraceMs, figures.bpftraceMs)),
        target: '≤ 0.5x bpftrace',
      },
    ],
  };
}
