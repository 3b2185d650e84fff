// cpid reads the pid of -c's command; without -c there is none, and bpftrace refuses the
// program ("cpid cannot be used without child command"). So does nettrace, at each use,
// with NT0360. (The pid itself is not compiled in: builtins/child-pid.ts.)
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { Program, Span } from '../model/ast.js';

export function refuseChildPidWithoutCommand(program: Program, childCommand: boolean | undefined): void {
  if (childCommand) return;
  const uses = childPidUses(program);
  if (uses.length === 0) return;
  throw new DiagnosticError(
    uses.map((span) => error(E.ChildPidWithoutCommand, 'cpid is the pid of the command -c runs, and no command is given', span, "run the command with -c: nettrace -c 'CMD ARGS' -e '...'; for another process, -p PID or pid == N")),
  );
}

/** Where the program reads `cpid`, in source order. Iterative: expressions can be thousands deep. */
export function childPidUses(program: Program): Span[] {
  const found: Span[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [program];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const record = node as { kind?: unknown; name?: unknown; span?: Span };
    if (record.kind === 'Ident' && record.name === 'cpid' && record.span) found.push(record.span);
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && value !== null && typeof value === 'object') stack.push(value);
  }
  return found.sort((a, b) => a.start.offset - b.start.offset);
}
