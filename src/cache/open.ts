// Opening the cache for one run: where it is, whether it is safe, and the key material
// for a program on this kernel and this build of nettrace.
import { buildIdentity } from './build-identity.js';
import { cacheDirectory, ensureSafeDirectory } from './location.js';
import { kernelIdentity } from './kernel-identity.js';
import { keyMaterial, ProgramCache } from './program-cache.js';

export interface OpenCache {
  cache: ProgramCache;
  /** The key of `text` compiled with `options` here and now. */
  keyOf(text: string, options: Record<string, unknown>): string;
}

/** The cache, or why there is none (the directory is unsafe or cannot be made). */
export function openProgramCache(dir = cacheDirectory()): OpenCache | { unavailable: string } {
  if (!ensureSafeDirectory(dir)) return { unavailable: `${dir} is not a directory owned by this user and writable only by it` };
  const build = buildIdentity();
  const kernel = kernelIdentity(dir);
  return { cache: new ProgramCache(dir), keyOf: (text, options) => keyMaterial({ text, options, build, kernel }) };
}
