// Typed values out of the bytes the kernel hands back (map keys and values, printf
// records). Pure decoding: how a value prints is src/format's job.
import type { Type } from './types.js';

/** A value read back from the kernel: integers as bigint, strings as text, addresses as bytes. */
export type DecodedValue = bigint | boolean | Buffer | string;

/** Reads a value of type `t` at `offset` (host byte order for integers, as stored by BPF). */
export function decodeValue(t: Type, buf: Buffer, offset: number): DecodedValue {
  switch (t.kind) {
    case 'int': {
      const bytes = t.bits / 8;
      const raw = bytes === 8 ? buf.readBigUInt64LE(offset) : BigInt(buf.readUIntLE(offset, bytes));
      return t.signed ? BigInt.asIntN(t.bits, raw) : raw;
    }
    case 'bool':
      return buf[offset] !== 0;
    case 'bytes':
      return Buffer.from(buf.subarray(offset, offset + t.size));
    case 'str': {
      const slice = buf.subarray(offset, offset + t.size);
      const nul = slice.indexOf(0);
      return slice.subarray(0, nul === -1 ? slice.length : nul).toString('utf8');
    }
  }
}
