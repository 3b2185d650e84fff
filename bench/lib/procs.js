// Launching the tools the way a user does and timing what they print.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const NETTRACE = fileURLToPath(new URL('../../bin/nettrace.js', import.meta.url));
const MAXRSS = fileURLToPath(new URL('./maxrss.py', import.meta.url));

/**
 * Starts `cmd args`, resolves once stdout contains `line` with the milliseconds it took
 * from spawn. The process keeps running: call stop() to send SIGINT and wait for its exit.
 * With measureRss, the command runs under maxrss.py and stop() also reports the peak RSS.
 */
export function launch(cmd, args, { line, timeoutMs = 30_000, measureRss = false, env } = {}) {
  const started = performance.now();
  const child = measureRss
    ? spawn('python3', [MAXRSS, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  let rss = '';
  let lines = 0;
  const onLine = [];
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => (stderr += d));
  if (measureRss) child.stdio[3].on('data', (d) => (rss += d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not print '${line}' within ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`)), timeoutMs);
    const check = () => {
      if (stdout.includes(line)) {
        clearTimeout(timer);
        // Found: stop scanning. Searching the whole output on every chunk made reading a
        // big print-out quadratic, and a slow reader holds up the tool's writes to the pipe.
        child.stdout.off('data', check);
        resolve(performance.now() - started);
      }
    };
    child.stdout.on('data', check);
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited before printing '${line}'\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    });
  });
  ready.catch(() => {});
  return {
    child,
    ready,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /**
     * Sends `signal` until the process exits: bpftrace 0.17 misses a SIGINT that arrives
     * while it is still attaching (right after it printed "Attaching"), so one is not
     * always enough. SIGKILL after 10 tries. With once, the signal is sent once and
     * `hung` says whether the process failed to exit within 10 s (then it is killed).
     */
    async stop(signal = 'SIGINT', { once = false } = {}) {
      let done = false;
      exited.then(() => (done = true));
      if (once) {
        child.kill(signal);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        const hung = !done;
        if (hung) child.kill('SIGKILL');
        const code = await exited;
        return { code, hung, stdout, stderr, peakRssKiB: rss ? Number(rss.trim()) : undefined };
      }
      for (let i = 0; i < 10 && !done; i++) {
        child.kill(signal);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
      }
      if (!done) child.kill('SIGKILL');
      const code = await exited;
      return { code, stdout, stderr, peakRssKiB: rss ? Number(rss.trim()) : undefined };
    },
  };
}

export function nettraceArgs(...args) {
  return [NETTRACE, ...args];
}
