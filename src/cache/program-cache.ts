// The compiled-program cache: a compiled program (ELF bytes and its description, which
// hold no fds and no interface indexes) saved under a hash of everything it was compiled
// from, so running the same program again skips the compiler and never loads chevrotain,
// llvm-bindings or LLVM. Entries are written atomically; the directory is kept under a
// size cap by removing the least recently used entries; an entry that fails its checks
// is deleted and the program compiled again.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledProgram } from '../model/compiled-program.js';
import { TEMP_PREFIX, writeAtomically } from './atomic-write.js';
import { decodeEntry, encodeEntry } from './entry-file.js';

const ENTRY_SUFFIX = '.ntc';
/** Entries are tens of KiB (a 200-block program a few MiB): 64 MiB keeps hundreds. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Everything a compiled program depends on. Two equal keys compile to the same object. */
export interface CacheKeyParts {
  text: string;
  /**
   * Every compile option (src/compile.ts CompileOptions: positional parameters, the -F
   * filter, ...), whole: an option added there is part of the key without a change here.
   */
  options: Record<string, unknown>;
  /** nettrace's version and build (src/cache/build-identity.ts). */
  build: string;
  /** The running kernel (src/cache/kernel-identity.ts). */
  kernel: string;
}

/** The key material, as one string; stored in the entry and compared on every read. */
export function keyMaterial(parts: CacheKeyParts): string {
  return JSON.stringify([parts.build, parts.kernel, sortedKeys(parts.options), parts.text]);
}

/** The same options give the same string whatever order they were set in; undefined ones drop out. */
function sortedKeys(options: Record<string, unknown>): [string, unknown][] {
  return Object.keys(options)
    .filter((k) => options[k] !== undefined)
    .sort()
    .map((k) => [k, options[k]]);
}

export type Lookup = { hit: CompiledProgram } | { miss: 'absent' | string };

export class ProgramCache {
  constructor(
    readonly dir: string,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  private pathOf(key: string): string {
    return join(this.dir, createHash('sha256').update(key).digest('hex') + ENTRY_SUFFIX);
  }

  /** The program saved under `key`; a bad entry is removed and reported as the reason for the miss. */
  lookup(key: string): Lookup {
    const path = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return { miss: 'absent' };
    }
    const decoded = decodeEntry(bytes, key);
    if ('refused' in decoded) {
      rmSync(path, { force: true });
      return { miss: decoded.refused };
    }
    try {
      // Recently used entries survive eviction.
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // A read-only cache is still a cache.
    }
    return { hit: decoded.compiled };
  }

  /** Saves a program; failures (a full or read-only disk) only cost the next run a compile. */
  store(key: string, compiled: CompiledProgram): boolean {
    try {
      writeAtomically(this.pathOf(key), encodeEntry(key, compiled));
      this.evict();
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the least recently used entries until the total is under the cap, and stray temporaries. */
  evict(): void {
    const entries = this.entries();
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    entries.sort((a, b) => a.usedMs - b.usedMs);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      rmSync(e.path, { force: true });
      total -= e.bytes;
    }
    const hourAgo = Date.now() - 3600_000;
    for (const name of this.names()) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const path = join(this.dir, name);
      try {
        if (statSync(path).mtimeMs < hourAgo) rmSync(path, { force: true });
      } catch {
        // Gone already.
      }
    }
  }

  /** Deletes every entry (and the kernel identity memo); returns how many entries and bytes. */
  clear(): { entries: number; bytes: number } {
    const entries = this.entries();
    for (const e of entries) rmSync(e.path, { force: true });
    for (const name of this.names()) if (name.startsWith(TEMP_PREFIX) || name === 'kernel-identity.json') rmSync(join(this.dir, name), { force: true });
    return { entries: entries.length, bytes: entries.reduce((sum, e) => sum + e.bytes, 0) };
  }

  private names(): string[] {
    try {
      return readdirSync(this.dir);
    } catch {
      return [];
    }
  }

  private entries(): { path: string; bytes: number; usedMs: number }[] {
    const out = [];
    for (const name of this.names()) {
      if (!name.endsWith(ENTRY_SUFFIX) || name.startsWith(TEMP_PREFIX)) continue;
      const path = join(this.dir, name);
      try {
        const st = statSync(path);
        out.push({ path, bytes: st.size, usedMs: st.mtimeMs });
      } catch {
        // Removed meanwhile by another nettrace.
      }
    }
    return out;
  }
}
