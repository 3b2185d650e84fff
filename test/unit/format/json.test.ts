import { describe, expect, it } from 'vitest';
import { int, str, u64 } from '../../../src/model/types.js';
import { jsonLine, jsonValue } from '../../../src/format/json.js';

describe('JSON lines', () => {
  it('writes bigints as numbers with every digit', () => {
    expect(jsonLine({ a: 18446744073709551615n, b: [-5n, 'x'], c: 'q"' })).toBe('{"a":18446744073709551615,"b":[-5,"x"],"c":"q\\""}');
  });

  it('values: plain integers as numbers, named ones and strings as text', () => {
    expect(jsonValue(u64, 5n)).toBe(5n);
    expect(jsonValue(int(32, false, 'ipv4'), 0x0a000001n)).toBe('10.0.0.1');
    expect(jsonValue(str(16), 'sshd')).toBe('sshd');
    expect(jsonValue({ kind: 'bool' }, false)).toBe(false);
  });
});
