// NT0506: the interface under an xdp or tc probe disappeared while the program ran. Each
// loss is reported once; the run goes on while another probe is still attached, and
// ends (maps printed, exit status 1 on the command line) once none is left.
import { E } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { watchInterfaces, type InterfaceWatchOptions, type LostProbe } from '../interface-watch.js';
import type { AttachedProbe } from '../session.js';

/**
 * Watches the probes' interfaces; `report` gets the diagnostics of each loss, and
 * `noneLeft` true once no attached probe is left. Returns the function that stops watching.
 */
export function watchLostInterfaces(
  probes: readonly AttachedProbe[],
  report: (diagnostics: Diagnostic[], noneLeft: boolean) => void,
  options?: InterfaceWatchOptions,
): () => void {
  // BEGIN and END are never attached: they do not keep a run going.
  const remaining = new Set(probes.filter((p) => p.program.probe.attach.kind !== 'once'));
  return watchInterfaces(
    probes,
    (lost) => {
      for (const l of lost) remaining.delete(l.probe);
      const noneLeft = remaining.size === 0;
      report(lost.map((l) => lostDiagnostic(l, noneLeft, remaining.size)), noneLeft);
    },
    options,
  );
}

function lostDiagnostic({ probe, ifname }: LostProbe, noneLeft: boolean, remaining: number): Diagnostic {
  return {
    code: E.InterfaceGone.code,
    severity: noneLeft ? 'error' : 'warning',
    message: `interface '${ifname}' disappeared: ${probe.program.probe.text} is detached`,
    hints: [noneLeft ? 'no probe is left attached: stopping and printing the maps' : `${remaining} other probe(s) keep running`],
  };
}
