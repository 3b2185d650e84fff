// A probe kind is a small record: how to resolve what the user wrote, what its programs
// can read, and how the runtime attaches them. A new probe kind is one new file that
// exports one of these and is listed in registry.ts. What a resolved probe is (plain data
// that travels in the compiled program) lives in src/model/probe.ts.
import type { ProbeSpec } from '../model/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { KernelEnv } from '../model/kernel-env.js';
import type { ResolvedProbe } from '../model/probe.js';

export interface ProbeKind {
  name: string;
  aliases: string[];
  /** One line for `nettrace -l` and the docs. */
  doc: string;
  /** Several probes when one spec means several attachments (tc:IFACE is both directions). */
  resolve(spec: ProbeSpec, env: KernelEnv): ResolvedProbe | ResolvedProbe[] | Diagnostic;
  /** Every probe of this kind the kernel offers, as written (`nettrace -l`). */
  list?(env: KernelEnv): string[];
}


