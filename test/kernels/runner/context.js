// What a case gets to work with (`t`): the kernel's features as nettrace reports them,
// test links, nettrace runs, and cleanups that run however the case ends.
//
// A case that this kernel cannot support declares `refusal(features)`, returning the
// diagnostic code nettrace must stop with (or nothing when the kernel supports it). Then
// the case's first nettrace run must exit with status 1 and print error[CODE] — and that
// is the case's result ("expected CODE"); the rest of the case does not run.
import { createLink } from './net.js';
import { running, runToEnd, start, traceDuring } from './nettrace.js';

export class Refused extends Error {
  constructor(code, stderr) {
    super(`expected ${code}`);
    this.code = code;
    this.stderr = stderr;
    /** nettrace's diagnostic line, for the report. */
    this.diagnostic = stderr.split('\n').find((l) => l.includes(`error[${code}]`)) ?? '';
  }
}

/** A refused run: it must end by itself, with status 1 and the code; it must never attach. */
async function expectRefusal(code, args) {
  const run = start(args);
  const attached = run.waitFor('Attaching', 120_000).then(() => true, () => false);
  const winner = await Promise.race([run.exited.then(() => false), attached]);
  if (winner) {
    run.child.kill('SIGKILL');
    throw new Error(`expected nettrace to refuse with ${code}, but it attached.\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
  }
  const status = await run.exited;
  if (status !== 1 || !run.stderr().includes(`error[${code}]`)) {
    throw new Error(`expected nettrace to stop with status 1 and error[${code}], got status ${status}.\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
  }
  throw new Refused(code, run.stderr());
}

/**
 * @param {Record<string, boolean>} features from `nettrace --info -f json`
 * @param {string | undefined} refusal the code this case must stop with on this kernel
 */
export function createContext(features, refusal) {
  const cleanups = [];
  const t = {
    features,
    /** A fresh veth pair and namespace (see net.js), deleted when the case ends. */
    link() {
      const link = createLink();
      cleanups.push(() => link.destroy());
      return link;
    },
    /** Runs `fn` when the case ends, pass or fail (latest first). */
    defer(fn) {
      cleanups.push(fn);
    },
    /** nettrace ARGS to its end: { code, stdout, stderr }. */
    run(args, timeoutMs) {
      return refusal ? expectRefusal(refusal, args) : runToEnd(args, timeoutMs);
    },
    /** nettrace ARGS while `traffic` runs, stopped by SIGINT: { code, stdout, stderr }. */
    trace(args, traffic, settleMs) {
      return refusal ? expectRefusal(refusal, args) : traceDuring(args, traffic, settleMs);
    },
    /** A nettrace run the case drives itself (waitFor, signals). */
    start,
    /** Kills what the case left running and undoes what it made. */
    async cleanup() {
      for (const child of running) child.kill('SIGKILL');
      for (const fn of cleanups.splice(0).reverse()) {
        try {
          await fn();
        } catch {
          // Cleanups are best effort: one failing must not stop the others.
        }
      }
    },
  };
  return t;
}
