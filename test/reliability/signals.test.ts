// Runs ended by SIGINT, SIGTERM and SIGKILL at each phase of a run (while compiling,
// while loading, while attaching, while tracing) leave no program, link or map of
// nettrace's in the kernel. The phase is found by watching the process's own fds, so the
// signal lands where the test says; the bench repeats this 50 times per signal.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, sleep, type RunningCli } from '../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, xdpAttached, type TestLink } from '../helpers/netns.js';
import { spinUntil } from './child-fds.js';
import { listKernelObjects } from '../../src/native/bpf.js';
import { createLeakDetector, leakCount } from './kernel-objects.js';

const { baseline, unownedObjects, waitForNoLeaks } = createLeakDetector(listKernelObjects);

/**
 * What only `pid` keeps alive: unowned once it is counted as gone, but not before (a run
 * killed by an earlier test may still be on its way out of the kernel).
 */
function heldOnlyBy(since: ReturnType<typeof baseline>, pid: number) {
  const without = unownedObjects(since, [pid]);
  const already = unownedObjects(since);
  const ids = (objects: { id: number }[]) => new Set(objects.map((o) => o.id));
  const not = <T extends { id: number }>(list: T[], gone: T[]) => list.filter((o) => !ids(gone).has(o.id));
  return { progs: not(without.progs, already.progs), maps: not(without.maps, already.maps), links: not(without.links, already.links) };
}

type Phase = 'compile' | 'load' | 'attach' | 'tracing';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'] as const;
const PHASES: Phase[] = ['compile', 'load', 'attach', 'tracing'];

let link: TestLink;
beforeAll(() => {
  link = createTestLink();
});
afterAll(() => link?.destroy());

/** Starts nettrace and returns once it is in `phase` (or as close as the race allows). */
async function reach(cli: RunningCli, phase: Phase): Promise<string> {
  const pid = cli.child.pid!;
  switch (phase) {
    case 'compile': {
      // Somewhere between start-up and the first map: Node loading, parsing, LLVM.
      const delay = Math.floor(Math.random() * 400);
      await sleep(delay);
      return `after ${delay} ms`;
    }
    case 'load': {
      const fds = spinUntil(pid, (f) => f.maps > 0, 20_000);
      return fds ? `holding ${fds.maps} map(s), ${fds.progs} program(s)` : 'process ended first';
    }
    case 'attach': {
      const fds = spinUntil(pid, (f) => f.progs > 0, 20_000);
      return fds ? `holding ${fds.progs} program(s), ${fds.links} link(s)` : 'process ended first';
    }
    case 'tracing': {
      await cli.waitFor('Attaching 1 probe...');
      sendUdpFromNamespace(link, link.rootAddr, 9, 5);
      const delay = Math.floor(Math.random() * 200);
      await sleep(delay);
      return `${delay} ms after attaching`;
    }
  }
}

describe('the leak detector', () => {
  it("finds a live run's program, map and link when its process is counted as gone", async () => {
    const before = baseline();
    const cli = startCli(['-e', `xdp:${link.rootIf} < @[ip.src] = count() >`]);
    try {
      await cli.waitFor('Attaching 1 probe...');
      const found = heldOnlyBy(before, cli.child.pid!);
      expect(found.progs.map((p) => p.name)).toEqual(['nt_prog0']);
      expect(found.maps.map((m) => m.name)).toContain('nt_anon');
      expect(found.maps.every((m) => m.name.startsWith('nt_'))).toBe(true);
      expect(found.links).toHaveLength(1);
      expect(found.links[0]!.progId).toBe(found.progs[0]!.id);
    } finally {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
  });
});

describe('every kind of object a run holds goes with it', () => {
  it('SIGKILL while tracing with xdp, tc, a tracepoint and a ring buffer: nothing left, no qdisc', async () => {
    const before = baseline();
    const program = [
      `xdp:${link.rootIf} { @x[ip.src] = count() }`,
      `tc:${link.rootIf}:egress { @t[ip.dst] = sum(pkt.len) }`,
      'tracepoint:skb:kfree_skb { @k[args.reason] = count(); printf("drop %d\\n", args.reason) }',
    ].join('\n');
    const cli = startCli(['-e', program]);
    try {
      await cli.waitFor('Attaching 3 probes...');
      const found = heldOnlyBy(before, cli.child.pid!);
      // xdp, tc, tracepoint programs; their maps plus the events ring buffer; three links.
      expect(found.progs).toHaveLength(3);
      expect(found.links).toHaveLength(3);
      expect(found.maps.map((m) => m.name)).toContain('nt_events');
      cli.child.kill('SIGKILL');
      expect(await cli.exited).toBe('SIGKILL');
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await cli.exited;
    }
    const leaks = await waitForNoLeaks(before);
    expect(leakCount(leaks), JSON.stringify(leaks)).toBe(0);
    // tcx links need no qdisc: none may have been added (or left) on the interface.
    expect(execFileSync('tc', ['qdisc', 'show', 'dev', link.rootIf], { encoding: 'utf8' })).not.toMatch(/clsact|ingress/);
  });
});

describe('a run ended by a signal leaves nothing in the kernel', () => {
  for (const signal of SIGNALS) {
    for (const phase of PHASES) {
      it(`${signal} while ${phase === 'compile' ? 'compiling' : phase === 'tracing' ? 'tracing' : phase === 'load' ? 'loading' : 'attaching'}`, async () => {
        const before = baseline();
        const cli = startCli(['-e', `xdp:${link.rootIf} < @[ip.src] = count() >`]);
        let moment = '';
        try {
          moment = await reach(cli, phase);
          cli.child.kill(signal);
          const exit = await cli.exited;
          // Before its handlers exist the process dies of the signal; after, INT/TERM
          // print the maps and exit 0. Never an error exit, never a stack trace.
          if (signal === 'SIGKILL') expect(exit).toBe('SIGKILL');
          else expect([0, signal], `exit ${exit} (${moment})\n${cli.stderr()}`).toContain(exit);
          if (phase === 'tracing' && signal !== 'SIGKILL') {
            expect(exit).toBe(0);
            expect(cli.stdout()).toContain(`@[${link.nsAddr}]: 5\n`);
          }
          expect(cli.stderr()).not.toMatch(/\n\s+at /);
        } finally {
          if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
          await cli.exited;
        }
        const leaks = await waitForNoLeaks(before);
        expect(leakCount(leaks), `${signal} ${moment}: left ${JSON.stringify(leaks)}`).toBe(0);
        for (let i = 0; i < 50 && xdpAttached(link.rootIf); i++) await sleep(20);
        expect(xdpAttached(link.rootIf), `${signal} ${moment}: XDP still on ${link.rootIf}`).toBe(false);
      });
    }
  }
});
