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
  const { runRepl } = await importWithoutCiMode(() => import('./start-repl.js'));
  return runRepl(options);
}

/**
 * Ink renders only its last frame when it believes it runs in CI (it reads CI and
 * CONTINUOUS_INTEGRATION once, when loaded). The REPL only starts on a terminal, so
 * those variables say nothing about it: hide them while Ink loads, then put them back.
 */
async function importWithoutCiMode<T>(load: () => Promise<T>): Promise<T> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}
