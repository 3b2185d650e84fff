// One cache entry on disk: a magic line, the SHA-256 of the payload, and the payload (the
// key material and the compiled program, serialised with v8's structured clone, which
// keeps Buffers and bigints). Reading checks all three, and the key material against the
// one asked for, so a truncated, damaged or renamed file is refused, never loaded.
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { CompiledProgram } from '../model/compiled-program.js';

/** Bumped when the layout of an entry (or of CompiledProgram) changes. */
const MAGIC = Buffer.from('NTCACHE 2\n');
const HASH_BYTES = 32;

interface Payload {
  key: string;
  compiled: CompiledProgram;
}

export function encodeEntry(key: string, compiled: CompiledProgram): Buffer {
  const payload = serialize({ key, compiled } satisfies Payload);
  const hash = createHash('sha256').update(payload).digest();
  return Buffer.concat([MAGIC, hash, payload]);
}

/** Why an entry was refused, or the program it holds. */
export type DecodedEntry = { compiled: CompiledProgram } | { refused: string };

export function decodeEntry(bytes: Buffer, key: string): DecodedEntry {
  if (bytes.length < MAGIC.length + HASH_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { refused: 'not a cache entry of this format' };
  }
  const hash = bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES);
  const payload = bytes.subarray(MAGIC.length + HASH_BYTES);
  if (!createHash('sha256').update(payload).digest().equals(hash)) return { refused: 'checksum mismatch' };
  let value: Payload;
  try {
    value = deserialize(payload) as Payload;
  } catch {
    return { refused: 'does not deserialise' };
  }
  if (value?.key !== key) return { refused: 'compiled from something else' };
  if (!looksCompiled(value.compiled)) return { refused: 'not a compiled program' };
  return { compiled: value.compiled };
}

function looksCompiled(c: CompiledProgram | undefined): c is CompiledProgram {
  return (
    c !== undefined &&
    Buffer.isBuffer(c.object) &&
    typeof c.ir === 'string' &&
    [c.maps, c.internalMaps, c.printfs, c.programs].every(Array.isArray) &&
    c.programs.every((p) => typeof p?.section === 'string' && typeof p?.probe?.attach?.kind === 'string')
  );
}
