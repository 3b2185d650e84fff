// `nettrace` with no program on a terminal: the interactive REPL.
//
//   import { startRepl } from '../repl/index.js';
//   await startRepl({ historyFile });   // resolves when the user quits
//
// Every program attached from the REPL is closed on the way out, however it goes (see
// start-repl.tsx).
import type { ReplOptions } from './start-repl.js';

export type { ReplOptions } from './start-repl.js';

export async function startRepl(options: ReplOptions = {}): Promise<void> {
  // React and its reconciler choose their development or production build when they are
  // first loaded. The development build is slower and its profiling code throws on the
  // bigint arrays of map readings (JSON.stringify), so the REPL always uses production:
  // it is set here, before anything loads React, which is why the rest comes in by import().
  process.env.NODE_ENV = 'production';
  const { runRepl } = await import('./start-repl.js');
  return runRepl(options);
}
