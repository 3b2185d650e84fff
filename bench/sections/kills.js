// Issue 6, reliability at scale: 50 runs per signal (SIGINT, SIGTERM, SIGKILL), each
// ended at a random moment of its life (while compiling, loading, attaching or tracing,
// chosen at random, the moment inside the phase random too), of the XDP one-liner or of
// a program with xdp, tc and tracepoint probes and a ring buffer; after each, no program,
// link or map of nettrace's may remain (test/reliability/kernel-objects.js), no XDP
// program may sit on the interface and no qdisc may have appeared. The test suite runs a
// few of these; this runs many.
import { execFileSync } from 'node:child_process';
import { spinUntil } from '../../test/reliability/child-fds.js';
import { createLeakDetector, leakCount } from '../../test/reliability/kernel-objects.js';
import { xdpOneLiner } from '../lib/one-liners.js';
import { launch, nettraceArgs } from '../lib/procs.js';

export const title = 'Runs killed at random moments';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'];
const PHASES = ['compile', 'load', 'attach', 'tracing'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function xdpOn(ifname) {
  return /prog\/xdp|xdpgeneric|xdpdrv|xdp /.test(execFileSync('ip', ['-d', 'link', 'show', 'dev', ifname], { encoding: 'utf8' }));
}

/** What runs: the XDP one-liner, or a program holding every kind of object (tcx and perf links, a ring buffer). */
const PROGRAMS = [
  (ifname) => xdpOneLiner(ifname),
  (ifname) =>
    [
      `xdp:${ifname} { @x[ip.src] = count() }`,
      `tc:${ifname}:egress { @t[ip.dst] = sum(pkt.len) }`,
      'tracepoint:skb:kfree_skb { @k[args.reason] = count(); printf("drop %d\\n", args.reason) }',
    ].join('\n'),
];

async function killAt(phase, signal, link) {
  const program = PROGRAMS[Math.floor(Math.random() * PROGRAMS.length)](link.rootIf);
  const run = launch(process.execPath, nettraceArgs('-e', program), { line: 'Attaching ' });
  run.ready.catch(() => {});
  const pid = run.child.pid;
  if (phase === 'compile') await sleep(Math.random() * 400);
  else if (phase === 'load') spinUntil(pid, (f) => f.maps > 0, 20_000);
  else if (phase === 'attach') spinUntil(pid, (f) => f.progs > 0, 20_000);
  else {
    await run.ready;
    await sleep(Math.random() * 200);
  }
  const end = await run.stop(signal, { once: true });
  return { code: end.code, hung: end.hung, stackTrace: /\n\s+at /.test(end.stderr) };
}

export async function run({ native, quick, log, link }) {
  const perSignal = quick ? 10 : 50;
  const { baseline, waitForNoLeaks } = createLeakDetector(native.listKernelObjects);
  const figures = {};
  const rows = [];
  for (const signal of SIGNALS) {
    const f = { runs: 0, leaked: 0, xdpLeft: 0, stackTraces: 0, hung: 0, byPhase: {}, exitCodes: {} };
    for (let i = 0; i < perSignal; i++) {
      const phase = PHASES[Math.floor(Math.random() * PHASES.length)];
      const before = baseline();
      const { code, hung, stackTrace } = await killAt(phase, signal, link);
      if (hung) {
        f.hung++;
        log(`  HUNG: ${signal} while ${phase} did not end the process within 10 s`);
      }
      const leaks = await waitForNoLeaks(before);
      f.runs++;
      f.byPhase[phase] = (f.byPhase[phase] ?? 0) + 1;
      f.exitCodes[code] = (f.exitCodes[code] ?? 0) + 1;
      if (leakCount(leaks) > 0) {
        f.leaked++;
        log(`  LEAK after ${signal} while ${phase}: ${JSON.stringify(leaks)}`);
      }
      if (stackTrace) f.stackTraces++;
      for (let k = 0; k < 50 && xdpOn(link.rootIf); k++) await sleep(20);
      if (xdpOn(link.rootIf)) f.xdpLeft++;
      if (/clsact|ingress/.test(execFileSync('tc', ['qdisc', 'show', 'dev', link.rootIf], { encoding: 'utf8' }))) f.xdpLeft++;
    }
    figures[signal] = f;
    log(`  ${signal}: ${f.runs} runs (${Object.entries(f.byPhase).map(([p, n]) => `${p} ${n}`).join(', ')}), exits ${JSON.stringify(f.exitCodes)}: ${f.leaked} leaked, ${f.xdpLeft} left XDP or a qdisc, ${f.hung} hung, ${f.stackTraces} stack traces`);
    rows.push({
      item: `${signal} at random moments: runs with leftovers`,
      nettrace: `${f.leaked + f.xdpLeft + f.hung} of ${f.runs}`,
      peer: '',
      ratio: '',
      target: '0',
    });
  }
  return { figures, rows };
}
