// Issue 6.4: printf event throughput, events per second delivered to the reader (a pipe
// the bench drains, as /dev/null would), with lost events as each tool reports them,
// against bpftrace on the same tracepoint and the same flood. The flood is a process
// calling getppid() in a loop (millions per second: far more than UDP datagrams, so the
// ring buffer overflows and lost-event reporting is exercised). Produced events are the
// program's run count (bpf stats), so produced = received + lost can be checked.
import { spawn } from 'node:child_process';
import { progIdsOfPid, progStats, withBpfStats } from '../lib/kernel.js';
import { launch, nettraceArgs } from '../lib/procs.js';
import { fmt, fmtRatio, median, ratio } from '../lib/stats.js';

export const title = 'printf event throughput';

const PROGRAMS = {
  nettrace: 'tracepoint:syscalls:sys_enter_getppid { printf("ev %d\\n", pid) }',
  bpftrace: 'tracepoint:syscalls:sys_enter_getppid { printf("ev %d\\n", pid); }',
};

function getppidFlood(count) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', `import os\nfor _ in range(${count}): os.getppid()`], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`flood exited with ${code}`))));
  });
}

/**
 * The lost events each tool reports: nettrace ends with "warning: N events lost in all"
 * (after the running reports "N events lost: ..."); bpftrace prints "Lost N events" each
 * time it notices, which add up.
 */
function reportedLost(tool, text) {
  if (tool === 'nettrace') return Number(/(\d+) events lost in all/.exec(text)?.[1] ?? 0);
  let lost = 0;
  for (const m of text.matchAll(/Lost (\d+) events/g)) lost += Number(m[1]);
  return lost;
}

async function flood(native, tool, cmd, args, events) {
  const run = launch(cmd, args, { line: 'Attaching ' });
  try {
    await run.ready;
    await new Promise((r) => setTimeout(r, 300));
    const ids = [...progIdsOfPid(run.child.pid)];
    const before = progStats(native, ids);
    let lines = 0;
    let first = 0;
    let last = 0;
    run.child.stdout.on('data', (d) => {
      const n = d.toString().split('ev ').length - 1;
      if (n === 0) return;
      if (!first) first = performance.now();
      last = performance.now();
      lines += n;
    });
    await getppidFlood(events);
    // Drained when nothing more arrives for half a second.
    for (let seen = -1; seen !== lines; ) {
      seen = lines;
      await new Promise((r) => setTimeout(r, 500));
    }
    const after = progStats(native, ids);
    let produced = 0;
    for (const id of ids) produced += (after.get(id)?.runCnt ?? 0) - (before.get(id)?.runCnt ?? 0);
    const end = await run.stop('SIGINT');
    const lost = reportedLost(tool, end.stderr + end.stdout.split('\n').filter((l) => !l.startsWith('ev ')).join('\n'));
    return { tool, produced, received: lines, lost, seconds: (last - first) / 1000, perSecond: lines / ((last - first) / 1000) };
  } catch (e) {
    await run.stop('SIGKILL');
    throw e;
  }
}

export async function run({ native, rounds, quick, log, peers }) {
  const events = quick ? 300_000 : 1_000_000;
  const results = { nettrace: [], bpftrace: [] };
  const errors = {};
  await withBpfStats(async () => {
    for (let r = 0; r < Math.min(rounds, 3); r++) {
      for (const tool of ['nettrace', 'bpftrace']) {
        if (errors[tool] || (tool === 'bpftrace' && !peers.bpftrace)) continue;
        const [cmd, args] = tool === 'nettrace' ? [process.execPath, nettraceArgs('-e', PROGRAMS.nettrace)] : ['bpftrace', ['-e', PROGRAMS.bpftrace]];
        try {
          const res = await flood(native, tool, cmd, args, events);
          results[tool].push(res);
          log(`  ${tool}: ${res.received} of ${res.produced} events in ${fmt(res.seconds, 's')} = ${fmt(res.perSecond / 1000, 'k/s')}, reported lost ${res.lost}, unaccounted ${res.produced - res.received - res.lost}`);
        } catch (e) {
          errors[tool] = e.message.split('\n').find((l) => l.includes('error')) ?? e.message.split('\n')[0];
          log(`  ${tool}: not measured: ${errors[tool]}`);
        }
      }
    }
  });
  const m = (tool, key) => median(results[tool].map((x) => x[key]));
  for (const list of Object.values(results)) for (const r of list) r.unaccounted = r.produced - r.received - r.lost;
  const figure = (tool) => ({
    perSecond: m(tool, 'perSecond'),
    produced: m(tool, 'produced'),
    received: m(tool, 'received'),
    lost: m(tool, 'lost'),
    // Summed over the rounds: any event neither received nor reported lost.
    unaccounted: results[tool].reduce((s, r) => s + Math.abs(r.unaccounted), 0),
    runs: results[tool],
    error: errors[tool],
  });
  const figures = { events, nettrace: figure('nettrace'), bpftrace: figure('bpftrace') };
  const text = (f) => (f.error ? '-' : `${fmt(f.perSecond / 1000, 'k events/s')} (lost ${f.lost} of ${f.produced}; unaccounted ${f.unaccounted})`);
  return {
    figures,
    rows: [
      {
        item: `printf throughput, ${events} getppid() calls`,
        nettrace: text(figures.nettrace),
        peer: `bpftrace ${text(figures.bpftrace)}`,
        ratio: fmtRatio(ratio(figures.nettrace.perSecond, figures.bpftrace.perSecond)),
        target: 'lost = produced − received',
      },
    ],
  };
}
