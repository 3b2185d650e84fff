// Probes that need no traffic: BEGIN, END and interval; and printf through the ring
// buffer when it overflows, where every event must be accounted for.
import { spawn } from 'node:child_process';
import { assert, expectStdout, expectSuccess } from '../runner/expect.js';
import { sleep } from '../runner/nettrace.js';

// Far more events than the ring buffer holds (64 pages by default) arriving far faster
// than any reader formats them, under TCG as on the host.
const FLOOD = 200_000;

/** `count` getppid() calls as fast as python can make them. */
function flood(count) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', `import os\nfor _ in range(${count}): os.getppid()`], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the flood exited with ${code}`))));
  });
}

export default [
  {
    name: 'BEGIN, interval and END',
    kind: 'BEGIN/END/interval',
    async run(t) {
      const program = 'BEGIN { printf("begin\\n") } interval:ms:200 { @ticks++; if (@ticks == 3) { exit() } } END { printf("end %d\\n", @ticks) }';
      expectStdout(await t.run(['-e', program]), 'Attaching 3 probes...\nbegin\nend 3\n\n\n@ticks: 3\n');
    },
  },
  {
    name: 'printf through a flooded ring buffer: lost = produced - received',
    kind: 'printf (ring buffer)',
    async run(t) {
      // The program counts what it produced, so other getppid() callers change nothing.
      const run = t.start(['-e', 'tracepoint:syscalls:sys_enter_getppid { @produced = count(); printf("ev %d\\n", pid) }']);
      await run.waitFor('Attaching 1 probe...');
      await flood(FLOOD);
      // Let the reader drain what the ring buffer holds, then stop.
      for (let seen = -1; seen !== run.stdout().length; await sleep(500)) seen = run.stdout().length;
      run.child.kill('SIGINT');
      const r = { code: await run.exited, stdout: run.stdout(), stderr: run.stderr() };
      expectSuccess(r);
      const received = r.stdout.split('\n').filter((l) => l.startsWith('ev ')).length;
      const produced = Number(/^@produced: (\d+)$/m.exec(r.stdout)?.[1]);
      const lost = Number(/^warning: (\d+) events lost in all/m.exec(r.stderr)?.[1]);
      const summary = `produced ${produced}, received ${received}, lost ${lost}\nstderr:\n${r.stderr}`;
      // The flood must really overflow the buffer, or this proves nothing.
      assert.ok(produced >= FLOOD && lost > 0 && received > 0, summary);
      assert.equal(lost, produced - received, summary);
    },
  },
];
