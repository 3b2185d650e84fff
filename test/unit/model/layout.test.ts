import { describe, expect, it } from 'vitest';
import { int, u8, u16, u32, u64 } from '../../../src/model/types.js';
import { layoutStruct } from '../../../src/model/layout.js';

describe('key layout', () => {
  it('aligns each field naturally and pads the whole to 8 bytes', () => {
    const l = layoutStruct([u8, u32, u16, { kind: 'bytes', size: 6, show: 'mac' }, u64]);
    expect(l.fields.map((f) => f.offset)).toEqual([0, 4, 8, 10, 16]);
    expect(l.size).toBe(24);
  });

  it('gives an empty key 8 bytes (a map with no key has one entry)', () => {
    expect(layoutStruct([]).size).toBe(8);
    expect(layoutStruct([int(32, false, 'ipv4')]).size).toBe(8);
  });
});
