// One compile in a fresh process, as the command line does it once per launch: how long
// loading the compiler's modules takes (chevrotain, llvm-bindings, the addon) and each
// stage's time the first time it runs. Prints JSON. Usage: node cold-compile.js FILE.nt
import { readFileSync } from 'node:fs';

const t0 = performance.now();
const { compileStages } = await import('../../dist/compile.js');
const { liveEnv } = await import('../../dist/runtime/live-env.js');
const importMs = performance.now() - t0;
const text = readFileSync(process.argv[2], 'utf8');
const { timings } = compileStages(text, liveEnv);
process.stdout.write(JSON.stringify({ importMs, ...timings }) + '\n');
