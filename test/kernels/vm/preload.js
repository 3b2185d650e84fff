// The big files a nettrace run maps: node itself, the native addons and the shared
// libraries they link (LLVM alone is 110 MB). Through the guest's page-cached 9p mount
// an older kernel (5.10) reads them one 4 KiB page per round trip, which costs 20-30 s
// per process under TCG (and a newer one's uncached reads are slow instead). So they go
// into the initramfs as the overlay's upper layer (initramfs.js): the kernel unpacks them
// into RAM at boot, and no process reads them over 9p.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BIG = 1 << 20;

/** The native addons (*.node) of the checkout and its dependencies. */
function addons(checkout) {
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 6 || !existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== '.cache' && e.name !== '.git') walk(join(dir, e.name), depth + 1);
      else if (e.isFile() && e.name.endsWith('.node')) found.push(join(dir, e.name));
    }
  };
  walk(join(checkout, 'native/build'), 0);
  walk(join(checkout, 'node_modules'), 0);
  return found;
}

function sharedLibraries(file) {
  const out = execFileSync('ldd', [file], { encoding: 'utf8' });
  return [...out.matchAll(/=> (\/\S+)/g)].map((m) => m[1]);
}

/** Real paths of the files worth putting into the guest's RAM (1 MiB or more). */
export function preloadFiles(checkout) {
  const files = [process.execPath, ...addons(checkout)];
  const all = new Set(files.flatMap((f) => [f, ...sharedLibraries(f)]).map((f) => realpathSync(f)));
  return [...all].filter((f) => statSync(f).size >= BIG);
}
