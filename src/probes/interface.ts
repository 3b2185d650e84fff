import type { ProbeSpec } from '../model/ast.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/did-you-mean.js';

/** A diagnostic when the interface does not exist, naming the ones that do. */
export function checkInterface(ifname: string, spec: ProbeSpec, env: KernelEnv): Diagnostic | undefined {
  const names = env.interfaces();
  if (names.includes(ifname)) return undefined;
  const guess = closest(ifname, names);
  return error(
    E.NoSuchInterface,
    `no interface named '${ifname}'`,
    spec.span,
    guess ? `did you mean '${guess}'?` : '',
    `interfaces here: ${names.join(', ') || '(none)'}`,
  );
}
