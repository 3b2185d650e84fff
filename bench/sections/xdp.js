// Issues 4 and 6.3: the XDP one-liner `@[ip.src] = count()` against hand-written C and the
// empty XDP program: ns per packet with BPF_PROG_TEST_RUN (repeat 1e6, median of rounds,
// the three interleaved in the same run) and translated instruction counts.
import { compileC } from '../lib/c-programs.js';
import { loadC, loadCompiled } from '../lib/load.js';
import { udpPacket } from '../lib/packets.js';
import { fmt, fmtRatio, median, ratio } from '../lib/stats.js';

export const title = 'XDP cost per packet (BPF_PROG_TEST_RUN)';

const XDP = 6;
const XDP_ATTACH = 37;
const PERCPU_HASH = 5;

export async function run({ dist, native, rounds, log, peers }) {
  const repeat = 1_000_000;
  const programs = [];
  try {
    const compiled = dist.compile.compile('xdp:lo { @[ip.src] = count() }', dist.liveEnv.liveEnv);
    const loaded = loadCompiled(native, compiled);
    programs.push({ name: 'nettrace', loaded, fd: loaded.programs[0].fd });
    if (peers.clang) {
      const hand = loadC(native, compileC('xdp_count_src'), {
        section: 'xdp', progType: XDP, expectedAttachType: XDP_ATTACH, name: 'bench_c_count',
        maps: [{ type: PERCPU_HASH, keySize: 4, valueSize: 8, maxEntries: 10240 }],
      });
      programs.push({ name: 'C', loaded: hand, fd: hand.program.fd });
      const empty = loadC(native, compileC('xdp_empty'), { section: 'xdp', progType: XDP, expectedAttachType: XDP_ATTACH, name: 'bench_c_empty' });
      programs.push({ name: 'empty', loaded: empty, fd: empty.program.fd });
    }
    const packet = udpPacket();
    const ns = Object.fromEntries(programs.map((p) => [p.name, []]));
    for (let r = 0; r < rounds; r++) {
      for (const p of programs) {
        const result = native.progTestRun(p.fd, packet, repeat);
        if (result.retval !== 2) throw new Error(`${p.name} returned ${result.retval}, not XDP_PASS`);
        ns[p.name].push(result.durationNs);
      }
    }
    const insns = Object.fromEntries(programs.map((p) => [p.name, native.progInfo(p.fd).xlatedLen / 8]));
    const figures = Object.fromEntries(programs.map((p) => [p.name, { nsPerPacket: median(ns[p.name]), xlatedInsns: insns[p.name], rounds: ns[p.name] }]));
    for (const p of programs) log(`  ${p.name.padEnd(9)} ${fmt(figures[p.name].nsPerPacket, 'ns/packet')} (rounds: ${ns[p.name].map((x) => x.toFixed(0)).join(', ')}), ${insns[p.name]} xlated insns`);
    const nt = figures.nettrace;
    const c = figures.C;
    const empty = figures.empty;
    return {
      figures,
      rows: [
        {
          item: 'XDP `@[ip.src] = count()` ns/packet',
          nettrace: fmt(nt.nsPerPacket, 'ns'),
          peer: c ? `C ${fmt(c.nsPerPacket, 'ns')}; empty ${fmt(empty.nsPerPacket, 'ns')}` : 'clang-14 missing',
          ratio: fmtRatio(ratio(nt.nsPerPacket, c?.nsPerPacket)),
          target: '≤ 1.0x C',
        },
        {
          item: 'XDP one-liner, above the empty program',
          nettrace: c ? fmt(nt.nsPerPacket - empty.nsPerPacket, 'ns') : '-',
          peer: c ? `C ${fmt(c.nsPerPacket - empty.nsPerPacket, 'ns')}` : '-',
          ratio: c ? fmtRatio(ratio(nt.nsPerPacket - empty.nsPerPacket, c.nsPerPacket - empty.nsPerPacket)) : '-',
          target: '',
        },
        {
          item: 'XDP one-liner, xlated instructions',
          nettrace: String(nt.xlatedInsns),
          peer: c ? `C ${c.xlatedInsns}; empty ${empty.xlatedInsns}` : '-',
          ratio: fmtRatio(ratio(nt.xlatedInsns, c?.xlatedInsns)),
          target: '≤ 1.5x C',
        },
      ],
    };
  } finally {
    for (const p of programs) p.loaded.close();
  }
}
