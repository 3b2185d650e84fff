import { describe, expect, it } from 'vitest';
import { int } from '../../../src/model/types.js';
import { decodeValue } from '../../../src/model/decode-value.js';
import { formatIPv4, formatIPv6, formatMac, formatTcpFlags, formatValue } from '../../../src/format/values.js';

describe('values print themselves', () => {
  it('IPv4 from a host-order u32', () => {
    expect(formatIPv4(0x0a000007)).toBe('10.0.0.7');
    expect(formatIPv4(0xffffffff)).toBe('255.255.255.255');
  });

  it('IPv6 in RFC 5952 form', () => {
    const addr = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');
    expect(formatIPv6(addr('fe80 0000 0000 0000 0000 0000 0000 0001'))).toBe('fe80::1');
    expect(formatIPv6(addr('0000 0000 0000 0000 0000 0000 0000 0001'))).toBe('::1');
    expect(formatIPv6(addr('2001 0db8 0000 0001 0000 0000 0000 0000'))).toBe('2001:db8:0:1::');
    expect(formatIPv6(addr('2001 0db8 0001 0002 0003 0004 0005 0006'))).toBe('2001:db8:1:2:3:4:5:6');
    // a single zero group is not shortened
    expect(formatIPv6(addr('2001 0db8 0000 0001 0001 0001 0001 0001'))).toBe('2001:db8:0:1:1:1:1:1');
  });

  it('MACs, TCP flags, protocols', () => {
    expect(formatMac(Buffer.from([0xaa, 0xbb, 0xcc, 0x0d, 0xee, 0xff]))).toBe('aa:bb:cc:0d:ee:ff');
    expect(formatTcpFlags(0x12)).toBe('SYN|ACK');
    expect(formatTcpFlags(0)).toBe('0');
    expect(formatValue(int(8, false, 'ipproto'), 17n)).toBe('udp');
    expect(formatValue(int(8, false, 'ipproto'), 200n)).toBe('200');
    expect(formatValue(int(16, false, 'ethproto'), 0x86ddn)).toBe('ipv6');
  });

  it('decodes little-endian integers of every width', () => {
    const buf = Buffer.from([0x07, 0x00, 0x00, 0x0a, 0xff, 0xff, 0xff, 0xff]);
    expect(decodeValue(int(32, false), buf, 0)).toBe(0x0a000007n);
    expect(decodeValue(int(64, true), buf, 0)).toBe(BigInt.asIntN(64, 0xffffffff0a000007n));
    expect(decodeValue(int(8, false), buf, 3)).toBe(10n);
  });
});
