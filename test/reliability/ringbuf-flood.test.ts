// Ring buffer flood: a probe that printf()s on every getppid() call, flooded far faster
// than any terminal reads. Events the ring buffer cannot take are counted in the kernel
// and reported; every event is accounted for: lost = produced − received, exactly.
// The program counts what it produced itself (@produced = count()), so other processes
// calling getppid() meanwhile change nothing.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';

/** Runs `count` getppid() calls in a child process as fast as it can. */
function flood(count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', `import os\nfor _ in range(${count}): os.getppid()`], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the flood exited with ${code}`))));
  });
}

describe('ring buffer flood', () => {
  it('reports lost events, and lost = produced − received', async () => {
    const cli = startCli(['-e', 'tracepoint:syscalls:sys_enter_getppid { @produced = count(); printf("ev %d\\n", pid) }']);
    try {
      await cli.waitFor('Attaching 1 probe...');
      await flood(1_000_000);
      // Let the reader drain what the ring buffer holds, then stop.
      let seen = -1;
      while (seen !== cli.stdout().length) {
        seen = cli.stdout().length;
        await new Promise((r) => setTimeout(r, 300));
      }
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    }
    const out = cli.stdout();
    const received = out.split('\n').filter((l) => l.startsWith('ev ')).length;
    const produced = Number(/^@produced: (\d+)$/m.exec(out)?.[1]);
    const lostLine = /^warning: (\d+) events lost in all/m.exec(cli.stderr());
    expect(lostLine, `no lost-event report on stderr:\n${cli.stderr()}`).not.toBeNull();
    const lost = Number(lostLine![1]);
    // The flood must really overflow the buffer, or this proves nothing.
    expect(produced).toBeGreaterThanOrEqual(1_000_000);
    expect(lost).toBeGreaterThan(0);
    expect(received).toBeGreaterThan(0);
    expect(lost).toBe(produced - received);
  });
});
