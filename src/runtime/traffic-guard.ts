// A program that drops or bounces packets can cut the machine off the network (an XDP
// `drop` on the interface you are logged in through). nettrace attaches such a program
// only when the user says --unsafe; without it every action is reported, at its place.
import type { CompiledProgram } from '../model/compiled-program.js';
import { changesTraffic } from '../check/actions.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';

/** One diagnostic per traffic-changing action, or none when the program only observes. */
export function trafficChangeRefusals(compiled: CompiledProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const program of compiled.programs) {
    for (const action of program.actions.filter((a) => changesTraffic(a.name))) {
      // A block shared by several probes (tc:IF is two) lists its actions once per probe.
      const where = `${action.span.start.offset}`;
      if (seen.has(where)) continue;
      seen.add(where);
      out.push(
        error(
          E.ActionNotAllowed,
          `'${action.name}' changes traffic on ${program.probe.attach.kind === 'xdp' || program.probe.attach.kind === 'tc' ? program.probe.attach.ifname : program.probe.text}: nettrace does not attach it without --unsafe`,
          action.span,
          'a mistake here can cut this machine off the network; run again with --unsafe if that is what you mean',
        ),
      );
    }
  }
  return out;
}
