#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (npm run build).
import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2))).catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('nettrace: not built yet; run `npm run build` in the nettrace folder\n');
  } else {
    process.stderr.write(`nettrace: internal error: ${e && e.stack ? e.stack : e}\n`);
  }
  process.exit(2);
});
