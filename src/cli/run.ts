// Runs a compiled program on the command line under the run policy (runtime/run/):
// attach, print its records as they come, and once it ends (Ctrl-C, SIGTERM, SIGHUP,
// --timeout, exit(), or no probe left on an interface) print the maps and what was lost.
// The session is closed on every way out of the process we can catch; the ways we
// cannot (SIGKILL) are covered by links dying with their fds.
import type { CompiledProgram } from '../model/compiled-program.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import { ProgramRun } from '../runtime/run/program-run.js';
import type { RunEnd, RunRecord } from '../runtime/run/records.js';
import { stopOnSignals } from '../runtime/run/stop-signals.js';
import type { OutputFormat } from './args.js';
import { createOutput, type Output } from './output.js';
import type { ChildCommand } from './child-command.js';
import type { EndpointRequest } from '../serve/endpoint.js';
import type { MetricsSource } from '../serve/metrics-source.js';
import type { CaptureSink } from '../capture/capture-sink.js';

export interface RunOptions {
  verbose: boolean;
  /** -q: no `Attaching N probes...` line. */
  quiet?: boolean;
  /** --unsafe: attach programs whose actions change traffic. */
  unsafe?: boolean;
  timeoutSeconds?: number;
  /** -f: text as bpftrace prints it, or JSON lines. */
  format?: OutputFormat;
  /** --json-compat bpftrace: JSON lines as bpftrace 0.17 writes them. */
  jsonCompat?: 'bpftrace';
  /** --ring-pages, in bytes. */
  ringBufferBytes?: number;
  /** --serve: the maps as Prometheus metrics while the run goes on (src/serve/). */
  serve?: EndpointRequest;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Where the blank lines before the end-of-run maps go (stdout even with -o, as bpftrace); default `out`. */
  separator?: NodeJS.WritableStream;
  /** -c: the command, held until the probes are attached; its exit ends the run. */
  child?: ChildCommand;
  /** -w: where the packets capture() copies go, as pcapng (capture/capture-run.ts). */
  capture?: CaptureSink;
}

export async function runProgram(compiled: CompiledProgram, options: RunOptions): Promise<void> {
  const output = createOutput(options.format ?? 'text', options.out, options.err, options.separator, options.jsonCompat);
  // The pcapng writer is loaded only for a run that captures (-w).
  const capture = options.capture && (await import('../capture/capture-run.js')).startCapture(compiled, options.capture);
  let ended: (end: RunEnd) => void = () => {};
  const end = new Promise<RunEnd>((resolve) => (ended = resolve));
  // The endpoint listens before anything attaches, so a port in use fails the start cleanly;
  // it answers 503 until the run is up and again once it has ended.
  let serving: MetricsSource | undefined;
  const serveModules = options.serve && (await Promise.all([import('../serve/endpoint.js'), import('../serve/run-source.js')]));
  const endpoint = serveModules && (await serveModules[0].startEndpoint(options.serve!, () => (serving ? [serving] : []), (d) => options.err.write(renderDiagnostics([d]) + '\n')));
  let run: ProgramRun;
  try {
    run = ProgramRun.start(
      compiled,
      {
        verifierLogLevel: options.verbose ? 1 : 0,
        allowTrafficChanges: options.unsafe,
        ringBufferBytes: options.ringBufferBytes,
        childPid: options.child?.pid,
        detachInBackground: true,
        onVerifierLog: (program, log) => options.err.write(`verifier log for ${program.probe.text}:\n${log}\n`),
      },
      (record) => {
        if (record.kind === 'packet') {
          capture?.packet(record.packet);
          // The reader of `-w -` went away (`| tcpdump -c 5 -r -`): stop, as for the text's reader.
          if (options.capture?.broken === 'EPIPE' && process.exitCode === undefined) {
            process.exitCode = 141;
            queueMicrotask(() => run.stop());
          }
          return;
        }
        if (record.kind !== 'ended') return render(record, output, options.err);
        serving = undefined; // the session is closed: nothing to read any more
        ended(record.end);
      },
    );
  } catch (e) {
    options.child?.stop();
    await endpoint?.close();
    throw e;
  }
  if (serveModules) serving = serveModules[1].runSource(run);
  const closeOnExit = () => run.close();
  process.on('exit', closeOnExit);
  try {
    if (options.verbose) {
      for (const p of run.probes) options.err.write(`attached ${p.program.probe.text}${p.detail ? ` (${p.detail})` : ''}\n`);
    }
    // Printed only once everything is attached: what happens after this line is seen.
    // (BEGIN has run by now; its printf lines wait in the ring buffer and come next.)
    if (!options.quiet) output.attached(run.probes.length);
    // -c's command runs from here on; when it exits, the run ends as after Ctrl-C. After
    // an exit() in BEGIN it never runs, as in bpftrace.
    if (!run.session.exitRequested()) options.child?.release(() => run.stop());
    if (endpoint) options.err.write(`Serving metrics on ${endpoint.url}\n`);
    const stopListening = stopOnSignals(() => run.stop(), options.timeoutSeconds);
    // The reader of our output went away (`nettrace ... | head -1`): stop as a signal
    // would, print nothing more, and exit with 141 (128 + SIGPIPE) as a shell shows for
    // `yes | head -1`'s writer.
    let readerGone = false;
    const onOutputError = (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' || readerGone) return;
      readerGone = true;
      process.exitCode = 141;
      run.stop();
    };
    options.out.on('error', onOutputError);
    const { reason, maps, lostEvents, fullMaps, capturesRefused } = await end;
    stopListening();
    options.out.off('error', onOutputError);
    if (capture) {
      const { lost, summary } = capture.finish(capturesRefused ?? []);
      if (lost.length > 0) options.err.write(renderDiagnostics(lost) + '\n');
      options.err.write(summary + '\n');
    }
    if (readerGone) return;
    output.maps(maps);
    if (lostEvents > 0n) output.lostInAll(lostEvents);
    if (fullMaps.length > 0) options.err.write(renderDiagnostics(fullMaps) + '\n');
    if (reason === 'interfaces-gone') process.exitCode = 1;
  } finally {
    serving = undefined;
    options.child?.stop();
    await endpoint?.close();
    run.close();
    process.off('exit', closeOnExit);
    // The links closing on libuv's pool while the maps printed (runtime/session.ts finish).
    await run.detached();
  }
}

function render(record: Exclude<RunRecord, { kind: 'ended' }>, output: Output, err: NodeJS.WritableStream): void {
  switch (record.kind) {
    case 'interface-lost':
      return void err.write(renderDiagnostics(record.diagnostics) + '\n');
    case 'map-full':
      // The command line reports full maps once, at the end, with their final counts.
      return;
    default:
      return output.event(record);
  }
}
