import { describe, expect, it } from 'vitest';
import { parse } from '../../../src/parser/index.js';
import { mapLabels } from '../../../src/repl/map-labels.js';

describe('panel headers', () => {
  it('name each map by the keys the program wrote', () => {
    const text = 'xdp:lo { @[ip.src,   udp.dport] = count(); @total = count() }';
    expect(mapLabels(parse(text), text)).toEqual(
      new Map([
        ['@', '@[ip.src, udp.dport]'],
        ['@total', '@total'],
      ]),
    );
  });

  it('take the keys from the angle form too', () => {
    const text = 'xdp:lo < @pkts[ip.proto] = count() >';
    expect(mapLabels(parse(text), text).get('@pkts')).toBe('@pkts[ip.proto]');
  });
});
