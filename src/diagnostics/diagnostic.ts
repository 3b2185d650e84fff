// A diagnostic is data: passes collect them and the CLI renders them. Nothing in the
// compiler prints to the terminal or throws a raw Error at the user.
import type { Span } from '../model/ast.js';
import type { CatalogueEntry } from './catalogue.js';

export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** Absent for errors that have no place in the source (e.g. a missing privilege). */
  span?: Span;
  hints: string[];
}

export function error(entry: CatalogueEntry, message: string, span?: Span, ...hints: string[]): Diagnostic {
  return { code: entry.code, severity: 'error', message, span, hints: hints.filter((h) => h.length > 0) };
}

/** Thrown by a stage that has collected errors; carries all of them, not just the first. */
export class DiagnosticError extends Error {
  constructor(public readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.name = 'DiagnosticError';
  }
}

/** Throw when the list holds any error; a stage calls this once at its end. */
export function throwIfErrors(diagnostics: Diagnostic[]): void {
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticError(diagnostics);
}
