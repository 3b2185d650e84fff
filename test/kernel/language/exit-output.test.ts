// exit() ends the output as bpftrace's does: lines the probe sent after the exit (it fired
// again before it was detached) are not shown, END's are.
import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

let loop: ReturnType<typeof spawn> | undefined;

afterEach(() => {
  loop?.kill('SIGKILL');
  loop = undefined;
});

it('a probe that keeps firing after exit() prints its line once, then END', async () => {
  // A process calling getpid() as fast as it can: the probe fires many times between its
  // exit() and the detach, so without the rule many "hello" lines would come out.
  loop = spawn('python3', ['-c', 'import os\nwhile True: os.getpid()'], { stdio: 'ignore' });
  const { code, stdout } = await runCli([
    '-e',
    `END { printf("bye\\n") } tracepoint:syscalls:sys_enter_getpid /pid == ${loop.pid}/ { printf("hello\\n"); exit() }`,
  ]);
  expect(code).toBe(0);
  expect(stdout).toBe('Attaching 2 probes...\nhello\nbye\n\n\n');
});
