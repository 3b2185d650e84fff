import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCatalogueEntries, E } from '../../../src/diagnostics/catalogue.js';
import { error } from '../../../src/diagnostics/diagnostic.js';
import { renderDiagnostic } from '../../../src/diagnostics/render.js';

const at = (line: number, column: number, offset: number) => ({ line, column, offset });

describe('rendering diagnostics', () => {
  it('prints position, code, the source line, an underline and hints', () => {
    const text = 'xdp:eth0 < @[ip.scr] = count() >';
    const d = error(E.UnknownField, "ip has no field 'scr'", { start: at(1, 17, 16), end: at(1, 20, 19) }, "did you mean 'src'?");
    expect(renderDiagnostic(d, { name: '-e', text })).toBe(
      ["-e:1:17: error[NT0302]: ip has no field 'scr'", text, '                ~~~', "hint: did you mean 'src'?"].join('\n'),
    );
  });

  it('shows the right line of a multi-line file', () => {
    const text = 'BEGIN {}\nxdp:eth0 {\n  @x = bogus\n}';
    const d = error(E.UnknownIdentifier, "unknown name 'bogus'", { start: at(3, 8, 25), end: at(3, 13, 30) });
    const lines = renderDiagnostic(d, { name: 'a.nt', text }).split('\n');
    expect(lines[0]).toBe("a.nt:3:8: error[NT0301]: unknown name 'bogus'");
    expect(lines[1]).toBe('  @x = bogus');
    expect(lines[2]).toBe('       ~~~~~');
  });

  it('prints errors without a place without a source excerpt', () => {
    const d = error(E.MissingPrivilege, 'nettrace needs CAP_BPF', undefined, 'run it as root');
    expect(renderDiagnostic(d, { name: '-e', text: 'x' })).toBe('-e: error[NT0501]: nettrace needs CAP_BPF\nhint: run it as root');
  });
});

describe('the error catalogue', () => {
  it('has unique codes', () => {
    const codes = allCatalogueEntries().map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('is documented entry by entry in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const e of allCatalogueEntries()) expect(doc, e.code).toContain(`| ${e.code} |`);
  });
});
