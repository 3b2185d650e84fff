import { describe, expect, it } from 'vitest';
import { missingCapabilities } from '../../../src/runtime/privileges.js';

const bit = (n: number) => 1n << BigInt(n);

describe('missing capabilities', () => {
  it('names all three when there are none', () => {
    expect(missingCapabilities(0n)).toEqual(['CAP_BPF', 'CAP_PERFMON', 'CAP_NET_ADMIN']);
  });
  it('accepts CAP_SYS_ADMIN in place of CAP_BPF and CAP_PERFMON', () => {
    expect(missingCapabilities(bit(21) | bit(12))).toEqual([]);
    expect(missingCapabilities(bit(21))).toEqual(['CAP_NET_ADMIN']);
  });
  it('is satisfied by CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN', () => {
    expect(missingCapabilities(bit(39) | bit(38) | bit(12))).toEqual([]);
  });
});
