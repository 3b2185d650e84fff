// A unit of 8 blocks or more merges the prologue's paths through a per-CPU scratch map
// (codegen/packet-state-barrier.ts). It must not change what any field reads: the same
// statements as one block (no barrier) and as eight blocks (barrier) count the same keys
// on every frame shape, whole and cut short. (Only blocks on one xdp:IF share a program:
// each tc probe is a program of its own, so tc never gets the barrier.)
import { afterEach, describe, expect, it } from 'vitest';
import { requireRoot } from '../../helpers/netns.js';
import { loadForTestRun, TEST_IFACE, type TestRunProgram } from '../packet/test-run.js';
import { ethernet, ipv4, ipv6, tcp, udp } from '../packet/frames.js';
import { compile } from '../../../src/compile.js';

requireRoot();

const STATEMENTS = [
  '@a[ip.src, udp.dport] = count()',
  '@b[ip6.src, tcp.dport] = count()',
  '@c[vlan.id, eth.proto] = count()',
  '@d[ip.proto, ip.ttl] = count()',
  '@e[eth.src, pkt.len] = count()',
  '@f[vlan[1].id, tcp.sport] = count()',
  '@g[ip6.nexthdr, udp.sport] = count()',
  '@h[tcp.flags, ip.id] = count()',
];

const UDP = udp(4000, 53);
const TCP = tcp({ sport: 5000, dport: 80, seq: 1, ack: 0, flags: 2, win: 100 });
const FRAMES: Buffer[] = [
  ethernet(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 9, id: 7 }, UDP)),
  ethernet(ipv4({ src: '10.0.0.3', dst: '10.0.0.2', options: [1, 1, 1, 1] }, TCP)),
  ethernet(ipv4({ src: '10.0.0.4', dst: '10.0.0.2', fragmentOffset: 3 }, UDP)),
  ethernet(ipv4({ src: '10.0.0.5', dst: '10.0.0.2' }, UDP), { vlans: [{ id: 100, pcp: 3 }] }),
  ethernet(ipv4({ src: '10.0.0.6', dst: '10.0.0.2' }, TCP), { vlans: [{ id: 200 }, { id: 300 }] }),
  ethernet(ipv6({ src: 'fd00::1', dst: 'fd00::2' }, UDP)),
  ethernet(ipv6({ src: 'fd00::3', dst: 'fd00::2', extensions: [{ type: 0, length: 8 }, { type: 60, length: 16 }] }, TCP)),
  ethernet(ipv6({ src: 'fd00::4', dst: 'fd00::2', extensions: [{ type: 44, fragmentOffset: 0 }] }, UDP), { vlans: [{ id: 5 }] }),
];
// Every frame also cut short at a few places, inside each header (BPF_PROG_TEST_RUN
// takes 14 bytes at least).
const CUTS = [14, 15, 16, 20, 30, 40, 50, 60, 70];

let programs: TestRunProgram[] = [];
afterEach(() => {
  for (const p of programs) p.close();
  programs = [];
});

function countsOf(source: string): Map<string, Map<string, bigint>> {
  const program = loadForTestRun(source);
  programs.push(program);
  for (const frame of FRAMES) {
    program.run(frame);
    for (const cut of CUTS) if (cut < frame.length) program.run(frame.subarray(0, cut));
  }
  return program.maps();
}

describe('the packet-state barrier of many-block programs', () => {
  it('eight blocks on one xdp:IF count what one block of the same statements counts', () => {
    const probe = `xdp:${TEST_IFACE}`;
    const oneBlock = `${probe} { ${STATEMENTS.join('; ')} }`;
    const eightBlocks = STATEMENTS.map((s) => `${probe} { ${s} }`).join('\n');
    const expected = countsOf(oneBlock);
    // The frames reach every map: the comparison is not between empty maps.
    for (const [name, entries] of expected) expect(entries.size, `@${name}`).toBeGreaterThan(0);
    expect(countsOf(eightBlocks)).toEqual(expected);
  });

  it('is there for 8 blocks on one xdp:IF and not for 7 (its scratch map, nt_parsed)', () => {
    const blocks = (n: number) => STATEMENTS.slice(0, n).map((s) => `xdp:${TEST_IFACE} { ${s} }`).join('\n');
    const roles = (n: number) => compile(blocks(n), { interfaces: () => [TEST_IFACE] }).internalMaps.map((m) => m.role);
    expect(roles(8)).toContain('parsed');
    expect(roles(7)).not.toContain('parsed');
  });
});
