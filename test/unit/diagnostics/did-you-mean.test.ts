import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../src/util/did-you-mean.js';

describe('did you mean', () => {
  it('measures edits', () => {
    expect(editDistance('scr', 'src')).toBe(2);
    expect(editDistance('eth0', 'eth1')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close names', () => {
    expect(closest('eht0', ['lo', 'eth0', 'ifb0'])).toBe('eth0');
    expect(closest('dport', ['sport', 'dport', 'flags'])).toBe('dport');
    expect(closest('zzzzzz', ['lo', 'eth0'])).toBeUndefined();
  });
});
