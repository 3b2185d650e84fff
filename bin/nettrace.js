#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (npm run build). dist/bundle/ is the same
// code in a few files (scripts/bundle.js), which starts faster; it is used only when it
// was made from the current dist/ (a plain `tsc` build leaves it older, and is run as is).
import { statSync } from 'node:fs';

function newerBundle() {
  try {
    const bundle = statSync(new URL('../dist/bundle/main.js', import.meta.url)).mtimeMs;
    return bundle >= statSync(new URL('../dist/cli/main.js', import.meta.url)).mtimeMs;
  } catch {
    return false;
  }
}

const cli = newerBundle() ? import('../dist/bundle/main.js') : import('../dist/cli/main.js');
cli.then((m) => m.main(process.argv.slice(2))).catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('nettrace: not built yet; run `npm run build` in the nettrace folder\n');
  } else {
    process.stderr.write(`nettrace: internal error: ${e && e.stack ? e.stack : e}\n`);
  }
  process.exit(2);
});
