// Issue 6, front-end fuzzing at scale: bench/fuzz.js with emitObject in child processes,
// so an LLVM abort is caught and recorded (as a fixture in test/fuzz/fixtures/).
import { fuzz } from '../fuzz.js';

export const title = 'Front-end fuzzing';

export async function run({ quick }) {
  const count = quick ? 5_000 : 50_000;
  const r = await fuzz({ count, seed: Date.now() % 1_000_000 });
  return {
    figures: r,
    rows: [
      {
        item: `fuzz: ${r.count} programs (emit isolated)`,
        nettrace: `${(r.count / r.seconds).toFixed(0)} programs/s; ${r.compiled} compiled`,
        peer: '',
        ratio: '',
        target: `${r.bug} broke the contract (${r.distinctBugs} distinct)`,
      },
    ],
  };
}
