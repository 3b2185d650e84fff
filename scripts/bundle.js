// Bundles the compiled CLI (dist/, from tsc) into a few files in dist/bundle/, so that
// starting nettrace reads a handful of files instead of several hundred modules (ours,
// Ink's, React's, chevrotain's): docs/architecture.md, "Loading only what a command needs".
// Dynamic imports stay split points, so the compiler, the REPL and the runtime each come
// in their own chunk, loaded only when a command needs them. llvm-bindings is native and
// stays outside; the .node addons are loaded from native/build/Release as before (the
// bundle sits at the same depth under dist/ as the modules it replaces).
// bin/nettrace.js uses the bundle only when it is newer than dist/cli/main.js, so a tsc
// build without this step still runs the new code.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// Another folder directly under dist/ may be named (the tests bundle into their own).
const OUT = `${ROOT}dist/${process.argv[2] ?? 'bundle'}`;
if (!/^[\w.-]+$/.test(OUT.slice(`${ROOT}dist/`.length))) throw new Error('bundle.js takes a folder name directly under dist/');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { main: `${ROOT}dist/cli/main.js` },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native, or only loaded by Ink in development: never bundled.
  external: ['llvm-bindings', 'react-devtools-core'],
  define: { 'process.env.NODE_ENV': 'process.env.NODE_ENV' },
  logLevel: 'warning',
  legalComments: 'none',
});

// CommonJS packages inside an ES module bundle still call require() for Node's own modules,
// through esbuild's __require shim, which reads a `require` in its own module's scope.
// Only the chunk that defines the shim gets one: a banner on every chunk made each of the
// ~30 chunks a run loads build a require function it never calls.
const SHIM = 'typeof require !== "undefined" ? require';
const REQUIRE = "import { createRequire as __ntCreateRequire } from 'node:module'; const require = __ntCreateRequire(import.meta.url);\n";
const chunks = readdirSync(OUT).filter((name) => name.endsWith('.js'));
const withShim = chunks.filter((name) => readFileSync(`${OUT}/${name}`, 'utf8').includes(SHIM));
if (withShim.length === 0) throw new Error(`bundle.js: no chunk holds esbuild's require shim (${SHIM}); has esbuild changed it?`);
for (const name of withShim) writeFileSync(`${OUT}/${name}`, REQUIRE + readFileSync(`${OUT}/${name}`, 'utf8'));
