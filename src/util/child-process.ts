// node:child_process, loaded when first used. It brings net, dgram and their internals
// with it (~2 ms and ~1 MB at start), and a run needs it only on rare paths: naming the
// owner of a busy XDP hook, mounting tracefs, system(). A run from the program cache
// starts without it.
import { createRequire } from 'node:module';

type ChildProcessModule = typeof import('node:child_process');

let loaded: ChildProcessModule | undefined;

export function childProcess(): ChildProcessModule {
  return (loaded ??= createRequire(import.meta.url)('node:child_process') as ChildProcessModule);
}
