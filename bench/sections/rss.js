// Issue 6.5: peak resident memory (the kernel's ru_maxrss for the whole run: start-up,
// compile, tracing, printing the maps at exit) of nettrace and bpftrace for the same
// tracepoint one-liner, and of nettrace for the XDP one-liner. nettrace cold (--no-cache:
// the compiler and LLVM loaded) and run again (from its compiled-program cache, in a
// directory of the bench's own: neither is loaded).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendUdp } from '../lib/netns.js';
import { TRACEPOINT_ONE_LINERS, xdpOneLiner } from '../lib/one-liners.js';
import { launch, nettraceArgs } from '../lib/procs.js';
import { fmt, fmtRatio, median, ratio } from '../lib/stats.js';

export const title = 'Peak RSS';

async function peakRss(cmd, args, link, env) {
  const run = launch(cmd, args, { line: 'Attaching ', measureRss: true, env });
  try {
    await run.ready;
    sendUdp(link, link.rootAddr, { count: 1000, firstPort: 9, ports: 100 });
  } finally {
    var end = await run.stop('SIGINT');
  }
  return end.peakRssKiB / 1024;
}

export async function run({ rounds, log, link, peers }) {
  const n = Math.min(rounds, 3);
  const one = TRACEPOINT_ONE_LINERS[0];
  const nt = [];
  const bt = [];
  const hit = [];
  const xdp = [];
  let ntError;
  const cacheDir = mkdtempSync(join(tmpdir(), 'nettrace-bench-cache-'));
  const cached = { NETTRACE_CACHE_DIR: cacheDir };
  try {
    for (let r = 0; r < n; r++) {
      xdp.push(await peakRss(process.execPath, nettraceArgs('--no-cache', '-e', xdpOneLiner(link.rootIf)), link));
      if (!ntError) {
        try {
          nt.push(await peakRss(process.execPath, nettraceArgs('--no-cache', '-e', one.nettrace), link));
          if (r === 0) await peakRss(process.execPath, nettraceArgs('-e', one.nettrace), link, cached); // compiles and saves
          hit.push(await peakRss(process.execPath, nettraceArgs('-e', one.nettrace), link, cached));
        } catch (e) {
          ntError = e.message.split('\n').find((l) => l.includes('error')) ?? e.message.split('\n')[0];
        }
      }
      if (peers.bpftrace) bt.push(await peakRss('bpftrace', ['-e', one.bpftrace], link));
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  const figures = { xdpMiB: median(xdp), tracepoint: { nettraceMiB: median(nt), nettraceHitMiB: median(hit), bpftraceMiB: median(bt), nettraceError: ntError } };
  log(`  xdp one-liner: nettrace ${fmt(figures.xdpMiB, 'MiB')}`);
  log(`  ${one.name}: nettrace ${ntError ? `not measured (${ntError})` : `cold ${fmt(figures.tracepoint.nettraceMiB, 'MiB')}, cached ${fmt(figures.tracepoint.nettraceHitMiB, 'MiB')}`}, bpftrace ${fmt(figures.tracepoint.bpftraceMiB, 'MiB')}`);
  return {
    figures,
    rows: [
      {
        item: `peak RSS, cold (compiled), ${one.name}`,
        nettrace: ntError ? '-' : fmt(figures.tracepoint.nettraceMiB, 'MiB'),
        peer: `bpftrace ${fmt(figures.tracepoint.bpftraceMiB, 'MiB')}`,
        ratio: fmtRatio(ratio(figures.tracepoint.nettraceMiB, figures.tracepoint.bpftraceMiB)),
        target: '≤ 1.0x bpftrace',
      },
      {
        item: `peak RSS, run again (cache hit), ${one.name}`,
        nettrace: ntError ? '-' : fmt(figures.tracepoint.nettraceHitMiB, 'MiB'),
        peer: `bpftrace ${fmt(figures.tracepoint.bpftraceMiB, 'MiB')}`,
        ratio: fmtRatio(ratio(figures.tracepoint.nettraceHitMiB, figures.tracepoint.bpftraceMiB)),
        target: '≤ 0.5x bpftrace',
      },
      { item: 'peak RSS, xdp one-liner', nettrace: fmt(figures.xdpMiB, 'MiB'), peer: '', ratio: '', target: '' },
    ],
  };
}
