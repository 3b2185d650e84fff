// Starting `nettrace --serve` in a test: the URL it prints on stderr once attached.
import { startCli, type RunningCli } from '../../helpers/cli.js';

export interface ServingCli {
  cli: RunningCli;
  url: string;
  /** host:port, as a scrape target. */
  target: string;
}

export async function startServing(args: string[], timeoutMs = 20_000): Promise<ServingCli> {
  const cli = startCli(args);
  const started = Date.now();
  for (;;) {
    const match = /Serving metrics on (\S+)/.exec(cli.stderr());
    if (match && cli.stdout().includes('Attaching')) return { cli, url: match[1], target: new URL(match[1]).host };
    if (cli.child.exitCode !== null || Date.now() - started > timeoutMs) {
      throw new Error(`nettrace --serve did not start.\nstdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stops a nettrace run (SIGINT, as Ctrl-C) and waits for it; SIGKILL if it hangs. */
export async function stopServing(s: ServingCli | undefined): Promise<number | string | undefined> {
  if (!s) return undefined;
  if (s.cli.child.exitCode === null && s.cli.child.signalCode === null) {
    s.cli.child.kill('SIGINT');
    const killer = setTimeout(() => s.cli.child.kill('SIGKILL'), 10_000);
    const code = await s.cli.exited;
    clearTimeout(killer);
    return code;
  }
  return s.cli.exited;
}
