// Runs a compiled program: attach, wait for Ctrl-C / SIGTERM / --timeout, print the
// maps, detach. The session is closed on every way out of the process we can catch;
// the ways we cannot (SIGKILL) are covered by links dying with their fds.
import type { CompiledProgram } from '../codegen/described.js';
import type { OutputFormat } from './args.js';
import { createOutput } from './output.js';
import { Session } from '../runtime/session.js';
import { reportLostInterfaces } from './interface-loss.js';
import { reportFullMaps } from './full-maps.js';

export interface RunOptions {
  verbose: boolean;
  /** --unsafe: attach programs whose actions change traffic. */
  unsafe?: boolean;
  timeoutSeconds?: number;
  /** -f: text as bpftrace prints it, or JSON lines. */
  format?: OutputFormat;
  /** --ring-pages, in bytes. */
  ringBufferBytes?: number;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function runProgram(compiled: CompiledProgram, options: RunOptions): Promise<void> {
  const session = Session.start(compiled, {
    verifierLogLevel: options.verbose ? 1 : 0,
    allowTrafficChanges: options.unsafe,
    ringBufferBytes: options.ringBufferBytes,
    onVerifierLog: (program, log) => options.err.write(`verifier log for ${program.probe.text}:\n${log}\n`),
  });
  const closeOnExit = () => session.close();
  process.on('exit', closeOnExit);
  try {
    if (options.verbose) {
      for (const p of session.probes) options.err.write(`attached ${p.program.probe.text}${p.detail ? ` (${p.detail})` : ''}\n`);
    }
    const output = createOutput(options.format ?? 'text', options.out, options.err);
    // Printed only once everything is attached: what happens after this line is seen.
    // (BEGIN has run by now; its printf lines wait in the ring buffer and come next.)
    output.attached(session.probes.length);
    // Created before anything can ask to stop: exit() from BEGIN is already in the ring buffer.
    const stop = stopSignal(options.timeoutSeconds);
    const stopEvents = session.onEvent((event) => (event.kind === 'exit' ? stop.now() : output.event(event)));
    const stopWatching = reportLostInterfaces(session.probes, options.err, stop.now);
    await stop.requested;
    stopWatching();
    // Detach, run END, and print what is still in the ring buffer before the maps.
    session.finish();
    stopEvents();
    output.maps(session.readMaps());
    const lost = session.lostEvents();
    if (lost > 0n) output.lostInAll(lost);
    reportFullMaps(session.refusedUpdates(), options.err);
  } finally {
    session.close();
    process.off('exit', closeOnExit);
  }
}

/** Resolves `requested` on Ctrl-C, SIGTERM, SIGHUP, --timeout, or a call to `now()`. */
function stopSignal(timeoutSeconds?: number): { requested: Promise<void>; now: () => void } {
  let now: () => void = () => {};
  const requested = new Promise<void>((resolve) => {
    const timer = timeoutSeconds !== undefined ? setTimeout(stop, timeoutSeconds * 1000) : setInterval(() => {}, 1 << 30);
    function stop() {
      clearTimeout(timer);
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', stop);
      resolve();
    }
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop);
    now = stop;
  });
  return { requested, now };
}
