// The distribution kernels the matrix boots, and where their extracted packages are
// cached between runs. Each is the kernel a stock Debian release installs
// (linux-image-amd64 in that suite), so the matrix tests what users of that release run.
import { fileURLToPath } from 'node:url';

export const KERNELS = [
  { name: '5.10', suite: 'bullseye', distribution: 'Debian 11' },
  { name: '6.1', suite: 'bookworm', distribution: 'Debian 12' },
  { name: '6.12', suite: 'trixie', distribution: 'Debian 13' },
];

export function kernelByName(name) {
  const kernel = KERNELS.find((k) => k.name === name);
  if (!kernel) throw new Error(`no kernel '${name}' in the matrix (known: ${KERNELS.map((k) => k.name).join(', ')})`);
  return kernel;
}

/**
 * The matrix's columns: 'host' (this machine's kernel, no QEMU) and the kernels above,
 * or those NETTRACE_KERNELS names (comma-separated, e.g. host,6.1) for a quicker run.
 */
export function matrixColumns() {
  const all = ['host', ...KERNELS.map((k) => k.name)];
  const chosen = process.env.NETTRACE_KERNELS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!chosen) return all;
  for (const name of chosen) if (!all.includes(name)) throw new Error(`NETTRACE_KERNELS: no column '${name}' (known: ${all.join(', ')})`);
  return all.filter((name) => chosen.includes(name));
}

/** NETTRACE_KERNEL_CACHE moves the cache (a shared disk, a CI cache folder). */
export function cacheRoot() {
  return process.env.NETTRACE_KERNEL_CACHE || fileURLToPath(new URL('../../../.cache/kernels', import.meta.url));
}
