// cat() and system() read any file and run any command as root, so, as bpftrace does in
// its safe mode, nettrace runs a program that has them only with --unsafe; without it
// each call is reported at its place.
import type { CompiledProgram } from '../model/compiled-program.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';

export function unsafeCallRefusals(compiled: CompiledProgram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const site of compiled.printfs) {
    if (!site.run || seen.has(site.run.span.start.offset)) continue;
    // A block shared by several probes has its call once per probe.
    seen.add(site.run.span.start.offset);
    const what = site.run.kind === 'cat' ? 'reads a file' : 'runs a shell command';
    out.push(
      error(E.UnsafeFunction, `${site.run.kind}() ${what} as root: nettrace runs it only with --unsafe`, site.run.span, 'run again with --unsafe if that is what you mean (bpftrace asks for the same)'),
    );
  }
  return out;
}
