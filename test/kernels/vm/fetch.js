// Fetches a kernel of the matrix: Debian's linux-image-amd64 of the kernel's suite,
// resolved to the versioned image package it depends on, downloaded with apt from this
// machine's own mirror, extracted with dpkg-deb and indexed with depmod. apt runs on a
// temporary sources list and state directory, so the machine's own apt state is never
// touched. The extracted tree is cached (CACHE/NAME/); delete it to fetch again.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debianMirror } from './apt-mirror.js';
import { cacheRoot } from './kernels.js';

/**
 * @typedef {{ name: string, suite: string, package: string, version: string, release: string,
 *             vmlinuz: string, modules: string }} FetchedKernel
 * `modules` is the folder the guest sees as /usr/lib/modules/RELEASE.
 */

/** Runs a command to its end; resolves with its stdout. Asynchronous, so a test runner's event loop keeps turning. */
function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed:\n${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** apt options that confine apt to `dir`: its own sources, lists, cache and (empty) status. */
function aptOptions(dir, suite) {
  const { uri, signedBy } = debianMirror();
  for (const sub of ['parts', 'prefs', 'state/lists/partial', 'cache/archives/partial', 'download']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'sources.list'), `deb ${signedBy ? `[signed-by=${signedBy}] ` : ''}${uri} ${suite} main\n`);
  writeFileSync(join(dir, 'status'), '');
  const set = {
    'Dir::Etc::SourceList': join(dir, 'sources.list'),
    'Dir::Etc::SourceParts': join(dir, 'parts'),
    'Dir::Etc::PreferencesParts': join(dir, 'prefs'),
    'Dir::State': join(dir, 'state'),
    'Dir::State::status': join(dir, 'status'),
    'Dir::Cache': join(dir, 'cache'),
    // apt drops to the _apt user to download, which cannot write into a root-owned cache.
    'APT::Sandbox::User': 'root',
    'Acquire::Languages': 'none',
    'Acquire::Retries': '3',
  };
  return Object.entries(set).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
}

/** The modules folder the package ships: lib/modules/R (bullseye, bookworm) or usr/lib/modules/R (trixie). */
function findRelease(root) {
  for (const dir of ['lib/modules', 'usr/lib/modules']) {
    const found = existsSync(join(root, dir)) ? readdirSync(join(root, dir)) : [];
    if (found.length === 1) return { release: found[0], modules: join(root, dir, found[0]) };
  }
  throw new Error(`no single modules folder in the extracted package at ${root}`);
}

/** @returns {FetchedKernel | undefined} the cached kernel, if fetched before. */
function cachedKernel(kernel) {
  const dir = join(cacheRoot(), kernel.name);
  if (!existsSync(join(dir, 'kernel.json'))) return undefined;
  // Paths are stored relative to the kernel's folder, so the cache can move.
  const stored = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'));
  return { ...stored, vmlinuz: join(dir, stored.vmlinuz), modules: join(dir, stored.modules) };
}

/** @returns {Promise<FetchedKernel>} */
export async function fetchKernel(kernel, log = () => {}) {
  const cached = cachedKernel(kernel);
  if (cached) return cached;
  const final = join(cacheRoot(), kernel.name);
  mkdirSync(cacheRoot(), { recursive: true });
  const work = mkdtempSync(join(cacheRoot(), `.${kernel.name}-`));
  try {
    const apt = aptOptions(join(work, 'apt'), kernel.suite);
    log(`${kernel.name}: apt-get update (${kernel.suite})`);
    await run('apt-get', [...apt, '-qq', 'update']);
    const depends = await run('apt-cache', [...apt, 'depends', 'linux-image-amd64']);
    const pkg = /Depends: (linux-image-[^\s<>]+)/.exec(depends)?.[1];
    if (!pkg) throw new Error(`linux-image-amd64 in ${kernel.suite} depends on no image package:\n${depends}`);
    const version = /^Version: (\S+)/m.exec(await run('apt-cache', [...apt, 'show', pkg]))?.[1];
    log(`${kernel.name}: downloading ${pkg} ${version}`);
    await run('apt-get', [...apt, '-qq', 'download', pkg], { cwd: join(work, 'apt/download') });
    const deb = readdirSync(join(work, 'apt/download')).find((f) => f.endsWith('.deb'));
    const root = join(work, 'root');
    await run('dpkg-deb', ['-x', join(work, 'apt/download', deb), root]);
    const { release, modules } = findRelease(root);
    // depmod (kmod 30) reads ROOT/lib/modules: give a merged-/usr package the same link
    // the distribution has.
    if (!existsSync(join(root, 'lib'))) symlinkSync('usr/lib', join(root, 'lib'));
    await run('depmod', ['-b', root, release]);
    rmSync(join(work, 'apt'), { recursive: true, force: true });
    const fetched = { name: kernel.name, suite: kernel.suite, package: pkg, version, release, vmlinuz: `root/boot/vmlinuz-${release}`, modules: modules.slice(work.length + 1) };
    writeFileSync(join(work, 'kernel.json'), JSON.stringify(fetched, null, 2) + '\n');
    // Another fetch may have finished first: keep whichever landed.
    if (!existsSync(final)) renameSync(work, final);
    return cachedKernel(kernel);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
