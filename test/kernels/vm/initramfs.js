// Builds the guest's initramfs for one fetched kernel: Debian's static busybox, init.sh
// as /init, the modules init.sh needs to reach the host's filesystem, and the preload
// files (see preload.js) as the first contents of the overlay's upper layer.
// Modules come from the kernel's own package, with their dependencies in load order from
// depmod's modules.dep; busybox's insmod reads only plain .ko files, so compressed
// modules (trixie ships .ko.xz) are decompressed here, on the host.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCpio } from './cpio.js';

const BUSYBOX = '/bin/busybox';
/** What init.sh mounts with: the virtio PCI transport, 9p over virtio, overlayfs. */
const NEEDED = ['virtio_pci', '9pnet_virtio', '9p', 'overlay'];

const moduleName = (path) => basename(path).replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');

/** Module files to load, dependencies first; modules built into the kernel need nothing. */
function loadOrder(modulesDir) {
  const deps = new Map();
  for (const line of readFileSync(join(modulesDir, 'modules.dep'), 'utf8').split('\n')) {
    const [file, rest] = line.split(':');
    if (rest !== undefined) deps.set(moduleName(file), { file, deps: rest.trim().split(/\s+/).filter(Boolean) });
  }
  const builtin = new Set(readFileSync(join(modulesDir, 'modules.builtin'), 'utf8').split('\n').filter(Boolean).map(moduleName));
  const order = [];
  const visit = (name) => {
    if (builtin.has(name) || order.some((m) => m.name === name)) return;
    const mod = deps.get(name);
    if (!mod) throw new Error(`module ${name} is neither built in nor in ${modulesDir}/modules.dep`);
    for (const dep of mod.deps) visit(moduleName(dep));
    order.push({ name, file: join(modulesDir, mod.file) });
  };
  NEEDED.forEach(visit);
  return order;
}

function decompressed(file) {
  if (file.endsWith('.ko')) return readFileSync(file);
  const tool = file.endsWith('.xz') ? 'xz' : file.endsWith('.zst') ? 'zstd' : 'gzip';
  return execFileSync(tool, ['-dc', file], { maxBuffer: 64 << 20 });
}

/** rw/upper/PATH for each file, after its folders (with the host's modes, as overlayfs shows the upper's). */
function upperEntries(files) {
  const entries = [];
  const seen = new Set();
  const addDir = (dir) => {
    if (dir === '/' || seen.has(dir)) return;
    addDir(dirname(dir));
    seen.add(dir);
    entries.push({ path: `rw/upper${dir}`, type: 'dir', mode: statSync(dir).mode & 0o7777 });
  };
  for (const file of files) {
    addDir(dirname(file));
    entries.push({ path: `rw/upper${file}`, type: 'file', mode: statSync(file).mode & 0o7777, source: file });
  }
  return entries;
}

/**
 * @param {{ modules: string }} kernel a fetched kernel
 * @param {string} file where to write the archive
 * @param {string[]} preload absolute real paths of host files
 */
export function buildInitramfs(kernel, file, preload) {
  const order = loadOrder(kernel.modules);
  writeCpio(file, [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', type: 'file', mode: 0o755, source: BUSYBOX },
    { path: 'dev', type: 'dir' },
    // The kernel opens /dev/console for init's stdio before anything is mounted.
    { path: 'dev/console', type: 'char', major: 5, minor: 1 },
    { path: 'init', type: 'file', mode: 0o755, source: fileURLToPath(new URL('./init.sh', import.meta.url)) },
    { path: 'modules', type: 'dir' },
    ...order.map((m) => ({ path: `modules/${m.name}.ko`, type: 'file', data: decompressed(m.file) })),
    { path: 'modules/order', type: 'file', data: Buffer.from(order.map((m) => m.name).join('\n') + '\n') },
    { path: 'rw', type: 'dir' },
    { path: 'rw/upper', type: 'dir' },
    { path: 'rw/work', type: 'dir' },
    ...upperEntries(preload),
  ]);
}
