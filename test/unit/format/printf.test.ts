// printf formatting in user space: C's conversions, flags and widths; values print themselves.
import { describe, expect, it } from 'vitest';
import { int, str, u64, s64, type Type } from '../../../src/model/types.js';
import { isFormatError, parseFormat } from '../../../src/events/format-string.js';
import { formatPrintf } from '../../../src/format/printf-text.js';
import type { DecodedValue } from '../../../src/model/decode-value.js';

function printf(format: string, ...args: [Type, DecodedValue][]): string {
  const pieces = parseFormat(format);
  if (isFormatError(pieces)) throw new Error(pieces.message);
  return formatPrintf(pieces, args.map(([type, value]) => ({ type, value })));
}

describe('printf', () => {
  it('numbers: %d %i %u %x %X %o %c and %%', () => {
    expect(printf('%d %i %u %x %X %o %c %%', [s64, -42n], [u64, 7n], [u64, 7n], [u64, 255n], [u64, 255n], [u64, 8n], [u64, 65n])).toBe('-42 7 7 ff FF 10 A %');
  });

  it('%d of a u64 is C: the bits as signed; %u of a negative is its two\'s complement', () => {
    expect(printf('%d %u', [u64, 2n ** 64n - 1n], [s64, -1n])).toBe('-1 18446744073709551615');
  });

  it('widths, left alignment, zero padding, sign, precision, alternate form', () => {
    expect(printf('[%5d][%-5d][%05d][%05d][%+d][% d][%.3d][%#x][%#o][%08.3s]', [u64, 42n], [u64, 42n], [u64, 42n], [s64, -42n], [u64, 5n], [u64, 5n], [u64, 7n], [u64, 255n], [u64, 8n], [str(8), 'abcdef'])).toBe(
      '[   42][42   ][00042][-0042][+5][ 5][007][0xff][010][     abc]',
    );
  });

  it('length modifiers are accepted and ignored', () => {
    expect(printf('%lu %lld %hhx %zu', [u64, 1n], [s64, -2n], [u64, 255n], [u64, 3n])).toBe('1 -2 ff 3');
  });

  it('%s prints any value the way it prints as a map key', () => {
    expect(printf('%s %s %s %-6s|', [int(32, false, 'ipv4'), 0xc6120001n], [int(8, false, 'ipproto'), 6n], [str(16), 'nginx'], [{ kind: 'bool' }, true])).toBe('198.18.0.1 tcp nginx true  |');
  });

  it('rejects conversions it does not know, with where they are', () => {
    expect(parseFormat('ok %f')).toEqual({ message: "'%f' is not a printf conversion nettrace knows", offset: 3, length: 2 });
    expect(isFormatError(parseFormat('50%'))).toBe(true);
    expect(isFormatError(parseFormat('50%%'))).toBe(false);
  });
});
