// $1, $2 ... in probes come from the command line (nettrace SCRIPT.nt ARG...).
import { describe, expect, it } from 'vitest';
import { substitutePositional } from '../../../src/check/positional.js';
import { DiagnosticError } from '../../../src/diagnostics/diagnostic.js';
import { parse } from '../../../src/parser/index.js';

describe('positional parameters in probes', () => {
  it('replace $N in every probe of every block', () => {
    const ast = substitutePositional(parse('tc:$1:ingress, tc:$2:egress { @[ip.src] = count() } xdp:$1 { @x = count() }'), ['eth0', 'veth9']);
    const specs = ast.blocks.flatMap((b) => b.probes.map((p) => [p.text, p.parts]));
    expect(specs).toEqual([
      ['tc:eth0:ingress', ['eth0', 'ingress']],
      ['tc:veth9:egress', ['veth9', 'egress']],
      ['xdp:eth0', ['eth0']],
    ]);
  });

  it('a missing one is NT0207 on the probe, once per probe', () => {
    const source = 'xdp:$1 { @x = count() }\ntc:$2 { @y = count() }';
    let caught: unknown;
    try {
      substitutePositional(parse(source), ['eth0']);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DiagnosticError);
    const [d, ...rest] = (caught as DiagnosticError).diagnostics;
    expect(rest).toEqual([]);
    expect(d.code).toBe('NT0207');
    expect(source.slice(d.span!.start.offset, d.span!.end.offset)).toBe('tc:$2');
  });

  it('a program without $N is unchanged', () => {
    const ast = parse('xdp:eth0 { @x = count() }');
    expect(substitutePositional(ast, ['unused'])).toEqual(ast);
  });
});
