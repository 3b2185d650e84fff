// Long operator chains and set membership run in the kernel: 2500 `||` alternatives and
// `x in {...}` give the same counts as the short spelling, on hand-built frames run by
// BPF_PROG_TEST_RUN (the real verifier, nothing attached). Also: both compile in well
// under a second, and a 3000-term sum computes its value.
import { afterEach, describe, expect, it } from 'vitest';
import { requireRoot } from '../../helpers/netns.js';
import { ethernet, ipv4, ipv6, tcp, udp } from '../packet/frames.js';
import { loadForTestRun, TEST_IFACE, type TestRunProgram } from '../packet/test-run.js';
import { compile } from '../../../src/compile.js';

let program: TestRunProgram | undefined;
afterEach(() => {
  program?.close();
  program = undefined;
});

const from = (src: string, dport = 53) => ethernet(ipv4({ src, dst: '198.18.0.2' }, udp(4000, dport)));
const from6 = (src: string) => ethernet(ipv6({ src, dst: 'fd00::2' }, udp(4000, 53)));
const tcpFrame = ethernet(ipv4({ src: '10.0.9.200', dst: '198.18.0.2' }, tcp({ sport: 1, dport: 443, seq: 1, ack: 0, flags: 0x02, win: 100 })));

/** 10.0.0.0 + i, the i-th of the 2500 addresses the long predicate lists. */
const nth = (i: number) => `10.0.${i >> 8}.${i & 255}`;
const ALTERNATIVES = Array.from({ length: 2500 }, (_, i) => `ip.src == ${nth(i)}`).join(' || ');

function counts(source: string, frames: Buffer[]): Record<string, Record<string, string>> {
  requireRoot();
  program = loadForTestRun(source);
  for (const f of frames) program.run(f);
  const out: Record<string, Record<string, string>> = {};
  for (const [name, entries] of program.maps()) out[name] = Object.fromEntries([...entries].map(([k, v]) => [k, String(v)]));
  return out;
}

describe('long chains and sets', () => {
  it('2500 || alternatives compile in under a second and match exactly the listed sources', () => {
    const source = `xdp:${TEST_IFACE} / ${ALTERNATIVES} / { @hit[ip.src] = count() }`;
    // Warm (the grammar analysed, LLVM loaded), the best of three: what the compiler
    // costs, not the loaded test machine's scheduling.
    const env = { interfaces: () => [TEST_IFACE] };
    compile(`xdp:${TEST_IFACE} { @x = count() }`, env);
    const times = [0, 1, 2].map(() => {
      const t = performance.now();
      compile(source, env);
      return performance.now() - t;
    });
    expect(Math.min(...times)).toBeLessThan(1000);
    const frames = [from(nth(0)), from(nth(1234)), from(nth(1234)), from(nth(2499)), from(nth(2500)), from('10.1.0.0'), from6('fd00::1')];
    expect(counts(source, frames)).toEqual({ hit: { '10.0.0.0': '1', '10.0.4.210': '2', '10.0.9.195': '1' } });
  });

  it('x in {...} on addresses, ports, IPv6 and MACs; a missing header is not in the set', () => {
    const source = `xdp:${TEST_IFACE} {
      if (ip.src in {10.0.0.1, 10.0.0.3}) { @v4[ip.src] = count() }
      if (udp.dport in {53, 123, 5353}) { @port[udp.dport] = count() }
      if (ip6.src in {fd00::1, fe80::1}) { @v6[ip6.src] = count() }
      if (!(tcp.dport in {22, 80})) { @not_tcp_ssh_http = count() }
      if (eth.src in {02:00:00:aa:bb:01}) { @mac = count() }
      if (udp.dport in {${Array.from({ length: 300 }, (_, i) => 1000 + i * 3).join(', ')}}) { @many[udp.dport] = count() }
    }`;
    const frames = [from('10.0.0.1'), from('10.0.0.2', 123), from('10.0.0.3', 1297), from('10.0.0.3', 1298), from6('fd00::1'), from6('fd00::2'), tcpFrame];
    expect(counts(source, frames)).toEqual({
      v4: { '10.0.0.1': '1', '10.0.0.3': '2' },
      port: { '53': '3', '123': '1' },
      v6: { 'fd00::1': '1' },
      not_tcp_ssh_http: { '': '7' },
      mac: { '': '7' },
      many: { '1297': '1' },
    });
  });

  it('a 3000-term sum compiles and computes its value in the kernel', () => {
    const source = `xdp:${TEST_IFACE} { @sum[1${' + 1'.repeat(2999)}] = count(); @len[pkt.len${' - 1 + 1'.repeat(1500)}] = count() }`;
    const frame = from('10.0.0.1');
    expect(counts(source, [frame])).toEqual({ sum: { '3000': '1' }, len: { [String(frame.length)]: '1' } });
  });
});
