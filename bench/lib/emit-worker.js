// A child process that runs emitObject for bench/fuzz.js: if LLVM aborts on some IR, only
// this process dies, and the fuzz run records the input that did it.
import { loadDist } from './dist.js';

const { emitter } = await loadDist();
process.on('message', ({ ir, sections }) => {
  try {
    emitter.emitObject(ir, sections);
    process.send({ ok: true });
  } catch (e) {
    process.send({ error: `${e.code ?? ''} ${e.message}`.trim().slice(0, 2000) });
  }
});
