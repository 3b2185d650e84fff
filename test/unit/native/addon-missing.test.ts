// An addon that is not built (or was built for another Node) is the user's to fix: it
// comes out as a diagnostic with a hint, NT0503, never as a stack trace.
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../../src/diagnostics/diagnostic.js';
import { nativeModule } from '../../../src/native/errors.js';

describe('a native addon that is not there', () => {
  it('is NT0503 with a hint, every time it is asked for', () => {
    const missing = nativeModule<{ f(): number }>('nettrace_not_built.node');
    for (let i = 0; i < 2; i++) {
      let thrown: unknown;
      try {
        missing.call((addon) => addon.f());
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(DiagnosticError);
      const [d] = (thrown as DiagnosticError).diagnostics;
      expect(d.code).toBe('NT0503');
      expect(d.message).toMatch(/^nettrace's native addon nettrace_not_built\.node could not be loaded: /);
      expect(d.hints).toEqual(['build it: ./setup.sh, or npm run build:native in the nettrace folder']);
    }
  });
});
