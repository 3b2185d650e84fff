// Runs a lesson's stdlib script exactly as a learner would on a real interface
// (`nettrace stdlib/NAME.nt IFACE`), inside the sandbox's namespace A so that `$1` names
// the sandbox's interface there; `-f json` hands the maps back as data. Tracepoints see
// every namespace, so the lesson's own figures are the lines keyed by its addresses.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JsonMap } from './maps.js';

const NETTRACE = fileURLToPath(new URL('../../bin/nettrace.js', import.meta.url));

/** Where a stdlib script lives, from the installed package. */
export function stdlibScript(name: string): string {
  return fileURLToPath(new URL(`../../stdlib/${name}`, import.meta.url));
}

export interface ScriptRun {
  /** Resolves once every probe is attached: traffic from now on is seen. */
  attached: Promise<void>;
  /** Stops it as Ctrl-C would and resolves with the maps it printed. */
  stop(): Promise<JsonMap[]>;
  kill(): void;
}

let running: ChildProcess | undefined;

/** Ends the script's nettrace (on an interrupted lesson). */
export function killScript(): void {
  running?.kill('SIGKILL');
}

export function startScript(ns: string, script: string, params: string[], unsafe: boolean): ScriptRun {
  const args = ['netns', 'exec', ns, process.execPath, NETTRACE, '-f', 'json', ...(unsafe ? ['--unsafe'] : []), stdlibScript(script), ...params];
  const child = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const failure = () => new Error(`nettrace ${script} ended early:\n${err.trim() || out.trim()}`);
  const attached = new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (out.includes('"type":"attached"')) {
        clearInterval(poll);
        resolve();
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(poll);
        reject(failure());
      }
    }, 20);
  });
  return {
    attached,
    async stop() {
      // `ip netns exec` execs nettrace in place, so the signal reaches nettrace itself.
      child.kill('SIGINT');
      const code = await exited;
      running = undefined;
      if (code !== 0) throw failure();
      return out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .filter((record) => record.type === 'map');
    },
    kill: () => child.kill('SIGKILL'),
  };
}
