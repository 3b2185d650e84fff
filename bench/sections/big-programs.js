// Issue 12, item 4: programs that grow. 200 predicated blocks on one xdp:IF (one program:
// the kernel takes one XDP program per interface) and one block of 100 string-keyed
// statements. Each is compiled and loaded (the verifier's own count of the instructions
// it processed, from its log; the limit is 1,000,000) without attaching; when the stack a
// program uses is over 512 bytes compile refuses it (NT0403).
import { loadCompiled } from '../lib/load.js';
import { fmt } from '../lib/stats.js';

export const title = 'Big programs: many blocks, many keyed statements';

/** The kernel allows 64 maps per program, so 200 blocks share 50 maps: block i counts into @m(i % 50). */
export function twoHundredBlocks(ifname) {
  let text = '';
  for (let i = 0; i < 200; i++) text += `xdp:${ifname} /udp.dport == ${1000 + i}/ { @m${i % 50}[eth.src] = count() }\n`;
  return text;
}

/** 100 statements keyed by a string (a tracepoint's device name) and a number, on 50 maps. */
export function hundredStringKeyed() {
  let text = 'tracepoint:net:net_dev_queue {\n';
  for (let i = 0; i < 100; i++) text += `  @m${i % 50}[args.name, ${i}] = count();\n`;
  return `${text}}\n`;
}

function measure(dist, native, source) {
  const t0 = performance.now();
  const compiled = dist.compile.compile(source, dist.liveEnv.liveEnv);
  const compileMs = performance.now() - t0;
  const loaded = loadCompiled(native, compiled, { logLevel: 1 });
  try {
    const info = native.progInfo(loaded.programs[0].fd);
    const log = loaded.programs[0].log ?? '';
    const processed = Number(/processed (\d+) insns/.exec(log)?.[1] ?? NaN);
    return { compileMs, processed, xlatedInsns: info.xlatedLen / 8 };
  } finally {
    loaded.close();
  }
}

export async function run({ dist, native, log }) {
  const blocks = measure(dist, native, twoHundredBlocks('lo'));
  log(`  200 blocks: loads; verifier processed ${blocks.processed} insns, ${blocks.xlatedInsns} xlated, compiled in ${fmt(blocks.compileMs, 'ms')}`);
  const strings = measure(dist, native, hundredStringKeyed());
  log(`  100 string-keyed statements: loads; verifier processed ${strings.processed} insns, ${strings.xlatedInsns} xlated`);
  return {
    figures: { blocks, strings },
    rows: [
      {
        item: '200 blocks `/udp.dport == N/ { @m(N%50)[eth.src] = count() }` on one xdp:IF: verifier insns processed',
        nettrace: `loads; ${blocks.processed.toLocaleString('en')}`,
        peer: 'before (this session): NT0403, stack, from ~90 blocks; 890,928 with shared key slots but no barrier (limit 1,000,000)',
        ratio: '',
        target: '200 blocks load',
      },
      {
        item: 'one block of 100 string-keyed statements `@m(N%50)[args.name, N] = count()`',
        nettrace: `loads; verifier processed ${strings.processed.toLocaleString('en')}`,
        peer: 'before: NT0403, the 512-byte stack (7 string-keyed statements fitted)',
        ratio: '',
        target: '100 statements fit',
      },
    ],
  };
}
