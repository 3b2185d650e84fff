// The compiled-program cache on disk: entries round-trip exactly, anything damaged,
// truncated or filed under the wrong key is refused and removed, the size cap evicts
// the least recently used, and an unsafe directory is not used at all.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CompiledProgram } from '../../../src/model/compiled-program.js';
import { keyMaterial, ProgramCache } from '../../../src/cache/program-cache.js';
import { ensureSafeDirectory, cacheDirectory, ROOT_CACHE_DIR } from '../../../src/cache/location.js';
import { openProgramCache } from '../../../src/cache/open.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ntk-cache-'));
  dirs.push(d);
  return d;
}

/** A compiled program with the kinds of values a real one carries (Buffer, bigint, nesting). */
function program(tag: string, objectBytes = 64): CompiledProgram {
  return {
    ir: `; ${tag}`,
    object: Buffer.alloc(objectBytes, tag.charCodeAt(0)),
    maps: [],
    internalMaps: [{ index: 0, role: 'events', bpfType: 27, keySize: 0, valueSize: 0, maxEntries: 262144 }],
    printfs: [],
    programs: [
      {
        functionName: 'nt_prog0',
        section: 'xdp',
        actions: [],
        probe: {
          text: `xdp:${tag}`, kindName: 'xdp', context: 'xdp', section: 'xdp', progType: 6,
          attach: { kind: 'xdp', ifname: tag }, span: { start: 0, end: 3, line: 1, column: 1 } as never,
          verdicts: { pass: 2, drop: 1 },
        },
      },
    ],
    // A bigint where the model has them (lhist parameters, enum values).
    ...({ extra: { params: [10n, -3n] } } as object),
  } as CompiledProgram;
}

const key = (text: string) => keyMaterial({ text, options: { params: ['eth0'] }, build: 'b1', kernel: 'k1' });
const entryFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.ntc'));

describe('ProgramCache', () => {
  it('gives back exactly what was stored, Buffers and bigints included', () => {
    const cache = new ProgramCache(tempDir());
    const stored = program('a');
    expect(cache.lookup(key('p'))).toEqual({ miss: 'absent' });
    expect(cache.store(key('p'), stored)).toBe(true);
    const found = cache.lookup(key('p'));
    expect('hit' in found && found.hit).toEqual(stored);
    expect('hit' in found && Buffer.isBuffer(found.hit.object)).toBe(true);
  });

  it('keys differ by program text, every compile option, build and kernel', () => {
    const base = { text: 'p', options: { params: ['a'] }, build: 'b', kernel: 'k' };
    const keys = new Set([
      keyMaterial(base),
      keyMaterial({ ...base, text: 'q' }),
      keyMaterial({ ...base, options: { params: ['b'] } }),
      keyMaterial({ ...base, options: { params: ['a', ''] } }),
      keyMaterial({ ...base, options: { params: ['a'], filter: 'udp' } }),
      keyMaterial({ ...base, build: 'c' }),
      keyMaterial({ ...base, kernel: 'l' }),
    ]);
    expect(keys.size).toBe(7);
    // Option order and unset options do not matter.
    expect(keyMaterial({ ...base, options: { filter: undefined, params: ['a'] } })).toBe(keyMaterial(base));
    expect(keyMaterial({ ...base, options: { filter: 'udp', params: ['a'] } })).toBe(keyMaterial({ ...base, options: { params: ['a'], filter: 'udp' } }));
  });

  it('refuses and removes a truncated entry', () => {
    const dir = tempDir();
    const cache = new ProgramCache(dir);
    cache.store(key('p'), program('a', 4096));
    const [name] = entryFiles(dir);
    const bytes = readFileSync(join(dir, name));
    writeFileSync(join(dir, name), bytes.subarray(0, bytes.length - 100));
    expect(cache.lookup(key('p'))).toEqual({ miss: 'checksum mismatch' });
    expect(existsSync(join(dir, name))).toBe(false);
    // Cut inside the header: not even the format is recognisable.
    cache.store(key('p'), program('a'));
    writeFileSync(join(dir, name), bytes.subarray(0, 20));
    expect(cache.lookup(key('p'))).toEqual({ miss: 'not a cache entry of this format' });
  });

  it('refuses a tampered entry (one byte of the object changed)', () => {
    const dir = tempDir();
    const cache = new ProgramCache(dir);
    cache.store(key('p'), program('a', 4096));
    const [name] = entryFiles(dir);
    const bytes = readFileSync(join(dir, name));
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(join(dir, name), bytes);
    expect(cache.lookup(key('p'))).toEqual({ miss: 'checksum mismatch' });
    expect(entryFiles(dir)).toEqual([]);
  });

  it('refuses an entry filed under another key (copied or renamed)', () => {
    const dir = tempDir();
    const cache = new ProgramCache(dir);
    cache.store(key('p'), program('a'));
    const [pName] = entryFiles(dir);
    cache.store(key('q'), program('b'));
    const qName = entryFiles(dir).find((n) => n !== pName)!;
    writeFileSync(join(dir, qName), readFileSync(join(dir, pName)));
    expect(cache.lookup(key('q'))).toEqual({ miss: 'compiled from something else' });
    expect('hit' in cache.lookup(key('p'))).toBe(true);
  });

  it('evicts the least recently used entries beyond the size cap', () => {
    const dir = tempDir();
    const probe = new ProgramCache(dir);
    probe.store(key('size'), program('s', 10_000));
    const entryBytes = readFileSync(join(dir, entryFiles(dir)[0])).length;
    probe.clear();
    const cache = new ProgramCache(dir, entryBytes * 3);
    const old = Date.now() / 1000 - 1000;
    for (const [i, tag] of ['a', 'b', 'c'].entries()) {
      cache.store(key(tag), program(tag, 10_000));
      // Distinct ages without sleeping: a, then b, then c.
      const name = entryFiles(dir).find((n) => readFileSync(join(dir, n)).includes(Buffer.from(`; ${tag}`)))!;
      utimesSync(join(dir, name), old + i, old + i);
    }
    expect('hit' in cache.lookup(key('a'))).toBe(true); // a is now the most recently used
    cache.store(key('d'), program('d', 10_000));
    expect(entryFiles(dir)).toHaveLength(3);
    expect('hit' in cache.lookup(key('b'))).toBe(false);
    for (const tag of ['a', 'c', 'd']) expect('hit' in cache.lookup(key(tag)), tag).toBe(true);
  });

  it('writes atomically: no temporary file is left, and clear() empties the directory', () => {
    const dir = tempDir();
    const cache = new ProgramCache(dir);
    cache.store(key('p'), program('a'));
    cache.store(key('q'), program('b'));
    expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(cache.clear().entries).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a store into a directory it cannot write fails quietly', () => {
    const cache = new ProgramCache(join(tempDir(), 'missing', 'deeper'));
    expect(cache.store(key('p'), program('a'))).toBe(false);
    expect(cache.lookup(key('p'))).toEqual({ miss: 'absent' });
  });
});

describe('where the cache lives', () => {
  it('root: /var/cache/nettrace; others: $XDG_CACHE_HOME/nettrace or ~/.cache/nettrace; NETTRACE_CACHE_DIR first', () => {
    expect(cacheDirectory({}, 0)).toBe(ROOT_CACHE_DIR);
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x' }, 1000)).toBe('/x/nettrace');
    expect(cacheDirectory({}, 1000)).toMatch(/\/\.cache\/nettrace$/);
    expect(cacheDirectory({ NETTRACE_CACHE_DIR: '/y', XDG_CACHE_HOME: '/x' }, 0)).toBe('/y');
  });

  it('a directory others can write is not used', () => {
    const dir = join(tempDir(), 'c');
    expect(ensureSafeDirectory(dir)).toBe(true);
    chmodSync(dir, 0o777);
    expect(ensureSafeDirectory(dir)).toBe(false);
    const opened = openProgramCache(dir);
    expect('unavailable' in opened && opened.unavailable).toContain('writable only by it');
  });
});
