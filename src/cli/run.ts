// Runs a compiled program: attach, wait for Ctrl-C / SIGTERM / --timeout, print the
// maps, detach. The session is closed on every way out of the process we can catch;
// the ways we cannot (SIGKILL) are covered by links dying with their fds.
import type { CompiledProgram } from '../codegen/described.js';
import { formatMapText } from '../format/maps-text.js';
import { Session } from '../runtime/session.js';

export interface RunOptions {
  verbose: boolean;
  timeoutSeconds?: number;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function runProgram(compiled: CompiledProgram, options: RunOptions): Promise<void> {
  const session = Session.start(compiled, {
    verifierLogLevel: options.verbose ? 1 : 0,
    onVerifierLog: (program, log) => options.err.write(`verifier log for ${program.probe.text}:\n${log}\n`),
  });
  const closeOnExit = () => session.close();
  process.on('exit', closeOnExit);
  try {
    if (options.verbose) {
      for (const p of session.probes) options.err.write(`attached ${p.program.probe.text}${p.detail ? ` (${p.detail})` : ''}\n`);
    }
    const n = session.probes.length;
    // Printed only once everything is attached: what happens after this line is seen.
    options.out.write(`Attaching ${n} probe${n === 1 ? '' : 's'}...\n`);
    await waitForStop(options.timeoutSeconds);
    const text = session.readMaps().map(formatMapText).filter((t) => t.length > 0);
    options.out.write(text.length ? `\n${text.join('\n\n')}\n` : '\n');
  } finally {
    session.close();
    process.off('exit', closeOnExit);
  }
}

function waitForStop(timeoutSeconds?: number): Promise<void> {
  return new Promise((resolve) => {
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
  });
}
