// -p PID (issue 11): which blocks get `pid == PID` added, shown as -d ast shows them.
import { describe, expect, it } from 'vitest';
import { astTree } from '../../../src/cli/dump/ast-tree.js';
import { applyPidFilter } from '../../../src/check/pid-filter.js';
import { parse } from '../../../src/parser/index.js';

const filtered = (text: string, pid?: number) => astTree(applyPidFilter(parse(text), pid), text);

describe('-p PID', () => {
  it('adds pid == PID before the predicate of a tracepoint block, and leaves xdp, interval, BEGIN alone', () => {
    const text = 't:net:net_dev_queue /args.len > 1/ { @a = 1 } xdp:eth0 { @b = 1 } interval:s:1 { @c = 1 } BEGIN { @d = 1 }';
    expect(filtered(text, 42)).toBe(
      ['Program', ' t:net:net_dev_queue', '  predicate', '   &&', '    ==', '     ident: pid', '     int: 42', '    >', '     .len', '      ident: args', '     int: 1', '  =', '   map: @a', '   int: 1',
        ' xdp:eth0', '  =', '   map: @b', '   int: 1', ' interval:s:1', '  =', '   map: @c', '   int: 1', ' BEGIN', '  =', '   map: @d', '   int: 1', ''].join('\n'),
    );
  });

  it('splits a block naming both kinds of probes; kprobe, rawtracepoint and fentry are filtered too', () => {
    expect(filtered('xdp:eth0, kprobe:tcp_sendmsg { @a = 1 }', 7)).toBe(
      ['Program', ' kprobe:tcp_sendmsg', '  predicate', '   ==', '    ident: pid', '    int: 7', '  =', '   map: @a', '   int: 1', ' xdp:eth0', '  =', '   map: @a', '   int: 1', ''].join('\n'),
    );
    for (const probe of ['rawtracepoint:net_dev_queue', 'fentry:tcp_sendmsg']) expect(filtered(`${probe} { @a = 1 }`, 7)).toContain('ident: pid');
  });

  it('without -p the program is unchanged', () => {
    const program = parse('t:net:net_dev_queue { @a = 1 }');
    expect(applyPidFilter(program, undefined)).toBe(program);
  });
});
