// What the command line does when an xdp/tc probe's interface disappears while tracing:
// say so (NT0506), keep running while other probes remain attached, and end the run
// (maps printed as usual, exit status 1) once no probe is left.
import { E } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../diagnostics/render.js';
import { watchInterfaces, type InterfaceWatchOptions, type LostProbe } from '../runtime/interface-watch.js';
import type { AttachedProbe } from '../runtime/session.js';

/**
 * Watches the probes' interfaces; calls `endRun` once every probe has lost its interface.
 * Returns the function that stops watching.
 */
export function reportLostInterfaces(
  probes: readonly AttachedProbe[],
  err: NodeJS.WritableStream,
  endRun: () => void,
  options?: InterfaceWatchOptions,
): () => void {
  const remaining = new Set(probes);
  return watchInterfaces(
    probes,
    (lost) => {
      for (const l of lost) remaining.delete(l.probe);
      const ending = remaining.size === 0;
      err.write(renderDiagnostics(lost.map((l) => lostDiagnostic(l, ending, remaining.size))) + '\n');
      if (ending) {
        process.exitCode = 1;
        endRun();
      }
    },
    options,
  );
}

function lostDiagnostic({ probe, ifname }: LostProbe, ending: boolean, remaining: number): Diagnostic {
  return {
    code: E.InterfaceGone.code,
    severity: ending ? 'error' : 'warning',
    message: `interface '${ifname}' disappeared: ${probe.program.probe.text} is detached`,
    hints: [ending ? 'no probe is left attached: stopping and printing the maps' : `${remaining} other probe(s) keep running`],
  };
}
