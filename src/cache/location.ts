// Where compiled programs are cached. Root (who loads the programs) keeps its cache in
// /var/cache/nettrace; anyone else under $XDG_CACHE_HOME (default ~/.cache). The
// directory must belong to the user and be writable by nobody else: a cached object is
// loaded into the kernel as it is, so whoever can write it can choose what root runs.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { lstatSync, mkdirSync } from 'node:fs';

export const ROOT_CACHE_DIR = '/var/cache/nettrace';

/** NETTRACE_CACHE_DIR names the directory outright (tests, packagers); otherwise as above. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env, uid: number = process.geteuid?.() ?? -1): string {
  if (env.NETTRACE_CACHE_DIR) return env.NETTRACE_CACHE_DIR;
  if (uid === 0) return ROOT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'nettrace');
}

/**
 * Makes the directory (mode 0700) if missing and says whether it is safe to use: a
 * directory, owned by this user, with no group or other write bit. Not safe: no cache.
 */
export function ensureSafeDirectory(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = process.geteuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
