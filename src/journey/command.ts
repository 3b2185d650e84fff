// `nettrace journey IFACE [--tx] [--timeout SECS]`: the packet's way through the stack on
// IFACE, drawn live (Ink) on a terminal; elsewhere (a pipe, a test) the last picture is
// printed once as plain text when the run ends (Ctrl-C, SIGTERM, SIGHUP, --timeout).
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { journeyLines, plainText, type Line } from './lines.js';
import type { ProgramRun } from '../runtime/run/program-run.js';
import { journeyProgram, type Direction } from './program.js';
import { journeyState } from './state.js';

export interface JourneyOptions {
  ifname: string;
  direction: Direction;
  timeoutSeconds?: number;
  intervalMs: number;
}

export type JourneyOutcome = { ok: true } | { ok: false; diagnostics: Diagnostic[]; source?: { name: string; text: string } };

function usage(message: string): JourneyOutcome {
  return { ok: false, diagnostics: [error(E.BadOption, message, undefined, 'nettrace journey IFACE [--tx] [--timeout SECS]')] };
}

export function parseJourneyArgs(args: string[]): JourneyOptions | JourneyOutcome {
  const o: Partial<JourneyOptions> & { direction: Direction; intervalMs: number } = { direction: 'rx', intervalMs: 500 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--tx') o.direction = 'tx';
    else if (a === '--timeout') {
      const n = Number(args[++i]);
      if (!Number.isFinite(n) || n <= 0) return usage(`--timeout takes a positive number of seconds, not '${args[i] ?? ''}'`);
      o.timeoutSeconds = n;
    } else if (a.startsWith('-')) return usage(`nettrace journey does not know '${a}'`);
    else if (o.ifname !== undefined) return usage('nettrace journey takes one interface');
    else o.ifname = a;
  }
  if (o.ifname === undefined) return usage('nettrace journey needs an interface, e.g. nettrace journey eth0');
  return o as JourneyOptions;
}

/** IF's IPv4 addresses: the socket stage counts sockets bound to one of them. */
function ipv4Addresses(ifname: string): string[] {
  return (networkInterfaces()[ifname] ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address);
}

export async function runJourney(o: JourneyOptions, out: NodeJS.WriteStream): Promise<JourneyOutcome> {
  if (!/^[A-Za-z0-9_.:-]{1,15}$/.test(o.ifname) || !existsSync(`/sys/class/net/${o.ifname}`)) {
    return { ok: false, diagnostics: [error(E.NoSuchInterface, `no interface named '${o.ifname}'`, undefined, 'ip link lists them')] };
  }
  const text = journeyProgram(o.ifname, o.direction, ipv4Addresses(o.ifname));
  const { compileStages } = await import('../compile.js');
  const { liveEnv } = await import('../runtime/live-env.js');
  const { ProgramRun: Run } = await import('../runtime/run/program-run.js');
  const { stopOnSignals } = await import('../runtime/run/stop-signals.js');
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => (ended = resolve));
  let run: ProgramRun;
  try {
    run = Run.start(compileStages(text, liveEnv).compiled, {}, (record) => record.kind === 'ended' && ended());
  } catch (e) {
    // The generated program shows in the diagnostic: the line the kernel refused.
    if (e instanceof DiagnosticError) return { ok: false, diagnostics: e.diagnostics, source: { name: `journey ${o.ifname}`, text } };
    throw e;
  }
  const closeOnExit = () => run.close();
  process.on('exit', closeOnExit);
  const started = Date.now();
  const picture = (): Line[] => {
    const secs = Math.floor((Date.now() - started) / 1000);
    const header = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}  every ${o.intervalMs / 1000} s · Ctrl-C stops`;
    return journeyLines(journeyState(o.ifname, o.direction, run.session.readMaps()), header);
  };
  // As nettrace says for any program: what happens after this line is seen.
  if (!out.isTTY) out.write(`Attaching ${run.probes.length} probes...\n`);
  const live = out.isTTY ? await startLiveView(picture, o.intervalMs) : undefined;
  let last: Line[] = [];
  try {
    const stopListening = stopOnSignals(() => {
      last = picture(); // the final counts, read before the run ends and closes its maps
      run.stop();
    }, o.timeoutSeconds);
    await end;
    stopListening();
  } finally {
    live?.stop(last);
    run.close();
    process.off('exit', closeOnExit);
  }
  if (!out.isTTY) out.write('\n' + plainText(last));
  return { ok: true };
}

/** Ink, on a terminal: React chooses its build when first loaded, so production is set first. */
async function startLiveView(picture: () => Line[], intervalMs: number): Promise<{ stop(last: Line[]): void }> {
  process.env.NODE_ENV = 'production';
  const view = await import('./live-view.js');
  return view.startLiveView(picture, intervalMs);
}
