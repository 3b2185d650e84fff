// Metric and label names: from the map's name and the key expressions as written.
import { describe, expect, it } from 'vitest';
import { mapOrigins } from '../../../src/codegen/map-origins.js';
import { parse } from '../../../src/parser/index.js';
import { labelNames, metricBaseName, sanitise } from '../../../src/serve/metric-names.js';
import { u16, u32, u64 } from '../../../src/model/types.js';
import { mapOf } from './fixtures.js';

describe('metric names', () => {
  it('nettrace_ and the map name; the anonymous map is nettrace_map', () => {
    expect(metricBaseName('@packets')).toBe('nettrace_packets');
    expect(metricBaseName('@')).toBe('nettrace_map');
  });

  it('sanitises to [a-zA-Z0-9_], never starting with a digit', () => {
    expect(sanitise('args.skb.len')).toBe('args_skb_len');
    expect(sanitise('9lives')).toBe('_9lives');
  });
});

describe('label names', () => {
  const count = { kind: 'agg', agg: 'count' } as const;
  it('field paths, variables and builtins by name; computed keys by place', () => {
    const map = mapOf('@x', [u32, u16, u64, u64], count, { keys: ['ip.src', '$port', undefined, 'cpu'], statement: '', probes: '' });
    expect(labelNames(map)).toEqual(['ip_src', 'port', 'key2', 'cpu']);
  });

  it('never le, quantile or a reserved __ name, and never the same name twice', () => {
    const map = mapOf('@x', [u64, u64, u64, u64], count, { keys: ['$le', '$quantile', '$__x', '$le'], statement: '', probes: '' });
    expect(labelNames(map)).toEqual(['key_le', 'key_quantile', 'key_x', 'key_le_3']);
  });

  it('without an origin (an older compiled program), every key is keyN', () => {
    expect(labelNames(mapOf('@x', [u64, u64], count))).toEqual(['key0', 'key1']);
  });
});

describe('map origins, from the source as written', () => {
  it('the first assignment: its keys, its statement on one line, its block\'s probes', () => {
    const text = 'xdp:eth0, tc:eth0:ingress { if (ip.ttl > 1) { @packets[ip.src,\n   ip.proto] = count() } }\nxdp:eth1 { $p = udp.dport; @packets[ip.dst, ip.proto] = count(); @[$p, udp.dport + 1, args] = sum(pkt.len) }';
    const origins = mapOrigins(parse(text), text);
    expect(origins.get('packets')).toEqual({ keys: ['ip.src', 'ip.proto'], statement: '@packets[ip.src, ip.proto] = count()', probes: 'xdp:eth0, tc:eth0:ingress' });
    expect(origins.get('')).toEqual({ keys: ['$p', undefined, 'args'], statement: '@[$p, udp.dport + 1, args] = sum(pkt.len)', probes: 'xdp:eth1' });
  });
});
