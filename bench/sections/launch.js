// Issues 2, 6.1 and 12: from launch to attached, for the XDP one-liner and for three
// tracepoint one-liners against bpftrace (the tools alternate round by round). nettrace is
// measured twice: cold (--no-cache: the compiler runs) and from its compiled-program cache
// (the same program run again: no compiler loaded), in a cache directory of the bench's own.
//
// "Attached" is measured, not taken from what the tools print: bpftrace 0.17 prints
// "Attaching N probes..." before it attaches, nettrace after. While a tool starts, a
// trickle of datagrams (one per millisecond) keeps the traced tracepoints firing, and
// the bench polls the tool's BPF programs (bpf stats on) until one has run: that moment
// is launch-to-attached for both. The time to the printed line is reported beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progIdsOfPid, progStats, withBpfStats } from '../lib/kernel.js';
import { trickleUdp } from '../lib/netns.js';
import { TRACEPOINT_ONE_LINERS, xdpOneLiner } from '../lib/one-liners.js';
import { launch, nettraceArgs } from '../lib/procs.js';
import { fmt, fmtRatio, median, ratio } from '../lib/stats.js';

export const title = 'Launch to attached';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds from spawn to the printed "Attaching" line and to the first event traced. */
async function launchTimes(native, cmd, args, env) {
  const started = performance.now();
  const run = launch(cmd, args, { line: 'Attaching ', env });
  let lineMs;
  run.ready.then((ms) => (lineMs = ms), () => {});
  try {
    const deadline = started + 30_000;
    let firstEventMs;
    while (firstEventMs === undefined) {
      if (performance.now() > deadline) throw new Error(`${cmd}: no event traced within 30 s\n${run.stderr().slice(-500)}`);
      if (run.child.exitCode !== null || run.child.signalCode !== null) throw new Error(`${cmd} exited: ${run.stderr().split('\n').find((l) => l.includes('error')) ?? run.stderr().slice(0, 200)}`);
      const stats = progStats(native, [...progIdsOfPid(run.child.pid)]);
      if ([...stats.values()].some((s) => s.runCnt > 0)) firstEventMs = performance.now() - started;
      else await sleep(5); // polling costs CPU the tools need too: 5 ms resolution is plenty
    }
    await run.ready.catch(() => {});
    return { lineMs, firstEventMs };
  } finally {
    await run.stop('SIGINT');
  }
}

export async function run({ native, rounds, log, link, peers }) {
  const rows = [];
  const figures = {};
  const trickle = trickleUdp(link, link.rootAddr);
  const cacheDir = mkdtempSync(join(tmpdir(), 'nettrace-bench-cache-'));
  const cached = { NETTRACE_CACHE_DIR: cacheDir };
  try {
    await withBpfStats(async () => {
      const xdp = [];
      for (let r = 0; r < rounds; r++) xdp.push(await launchTimes(native, process.execPath, nettraceArgs('--no-cache', '-e', xdpOneLiner(link.rootIf))));
      const xdpMs = median(xdp.map((x) => x.firstEventMs));
      figures.xdp = { nettraceMs: xdpMs, lineMs: median(xdp.map((x) => x.lineMs)), rounds: xdp };
      log(`  xdp one-liner: attached after ${fmt(xdpMs, 'ms')} ("Attaching" printed at ${fmt(figures.xdp.lineMs, 'ms')})`);
      rows.push({ item: 'launch → attached, `xdp:IF { @[ip.src] = count() }`', nettrace: fmt(xdpMs, 'ms'), peer: '(bpftrace has no xdp)', ratio: '', target: '' });

      for (const one of TRACEPOINT_ONE_LINERS) {
        const nt = [];
        const hit = [];
        const bt = [];
        let ntError;
        for (let r = 0; r < rounds; r++) {
          if (!ntError) {
            try {
              nt.push(await launchTimes(native, process.execPath, nettraceArgs('--no-cache', '-e', one.nettrace)));
              // The first cached run of a program compiles and saves it; the others are hits.
              if (r === 0) await launchTimes(native, process.execPath, nettraceArgs('-e', one.nettrace), cached);
              hit.push(await launchTimes(native, process.execPath, nettraceArgs('-e', one.nettrace), cached));
            } catch (e) {
              ntError = e.message.split('\n')[0];
            }
          }
          if (peers.bpftrace) bt.push(await launchTimes(native, 'bpftrace', ['-e', one.bpftrace]));
        }
        const f = {
          nettraceMs: median(nt.map((x) => x.firstEventMs)),
          nettraceHitMs: median(hit.map((x) => x.firstEventMs)),
          bpftraceMs: median(bt.map((x) => x.firstEventMs)),
          nettraceLineMs: median(nt.map((x) => x.lineMs)),
          bpftraceLineMs: median(bt.map((x) => x.lineMs)),
          nettraceRounds: nt,
          nettraceHitRounds: hit,
          bpftraceRounds: bt,
          nettraceError: ntError,
        };
        figures[one.event] = f;
        log(`  ${one.name}: nettrace ${ntError ? `not measured (${ntError})` : `cold ${fmt(f.nettraceMs, 'ms')} (line at ${fmt(f.nettraceLineMs, 'ms')}), cached ${fmt(f.nettraceHitMs, 'ms')}`}, bpftrace ${fmt(f.bpftraceMs, 'ms')} (line at ${fmt(f.bpftraceLineMs, 'ms')})`);
        rows.push({
          item: `launch → attached, cold (compiled), ${one.name}`,
          nettrace: ntError ? '-' : fmt(f.nettraceMs, 'ms'),
          peer: `bpftrace ${fmt(f.bpftraceMs, 'ms')}`,
          ratio: fmtRatio(ratio(f.nettraceMs, f.bpftraceMs)),
          target: '≤ 1.0x bpftrace',
        });
        rows.push({
          item: `launch → attached, run again (cache hit), ${one.name}`,
          nettrace: ntError ? '-' : fmt(f.nettraceHitMs, 'ms'),
          peer: `bpftrace ${fmt(f.bpftraceMs, 'ms')}`,
          ratio: fmtRatio(ratio(f.nettraceHitMs, f.bpftraceMs)),
          target: '≤ 0.5x bpftrace',
        });
      }
    });
  } finally {
    trickle.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return { rows, figures };
}
