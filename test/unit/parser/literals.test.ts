// Literal decoding on its own: values, and the offsets of what is wrong (relative to the
// literal's text) that become NT0106 / NT0108 spans.
import { describe, expect, it } from 'vitest';
import { decodeInt, decodeIpv4, decodeIpv6, decodeString } from '../../../src/parser/literals.js';

describe('decodeInt', () => {
  it('accepts the documented forms', () => {
    expect(decodeInt('1_000')).toEqual({ ok: true, value: 1000n });
    expect(decodeInt('0x_1')).toMatchObject({ ok: false });
    expect(decodeInt('1_')).toMatchObject({ ok: false });
    expect(decodeInt('0xffffffffffffffff')).toEqual({ ok: true, value: 18446744073709551615n });
    expect(decodeInt('0x10000000000000000')).toMatchObject({ ok: false });
    expect(decodeInt('2e19')).toMatchObject({ ok: false });
    expect(decodeInt('5ULL')).toEqual({ ok: true, value: 5n });
  });
});

describe('decodeIpv4', () => {
  it('points at the bad octet', () => {
    expect(decodeIpv4('1.2.999.4')).toMatchObject({ ok: false, from: 4, to: 7 });
    expect(decodeIpv4('1.2.3.4/40')).toMatchObject({ ok: false, from: 7, to: 10 });
    expect(decodeIpv4('0.0.0.0/0')).toEqual({ ok: true, value: { bytes: [0, 0, 0, 0], prefix: 0 } });
  });
});

describe('decodeIpv6', () => {
  it('expands :: to the missing zero groups', () => {
    expect(decodeIpv6('::')).toEqual({ ok: true, value: { bytes: new Array(16).fill(0), prefix: undefined } });
    expect(decodeIpv6('1::')).toMatchObject({ ok: true, value: { bytes: [0, 1, ...new Array(14).fill(0)] } });
    expect(decodeIpv6('1:2:3:4:5:6:7::')).toMatchObject({ ok: true });
  });

  it('rejects too many groups, bad groups and two ::', () => {
    expect(decodeIpv6('1:2:3:4:5:6:7:8::')).toMatchObject({ ok: false });
    expect(decodeIpv6('1:2:3:4:5:6:7:8:9')).toMatchObject({ ok: false });
    expect(decodeIpv6('::fffff')).toMatchObject({ ok: false });
    expect(decodeIpv6('1::2::3')).toMatchObject({ ok: false });
    expect(decodeIpv6(':1::2')).toMatchObject({ ok: false });
  });
});

describe('decodeString', () => {
  it('decodes escapes and reports unknown ones where they are', () => {
    expect(decodeString('"\\x7f\\0\\r\\\'"')).toEqual({ ok: true, value: '\x7f\0\r\'' });
    expect(decodeString('"ab\\d"')).toMatchObject({ ok: false, from: 3, to: 5 });
  });

  it('decodes an unterminated string up to its end', () => {
    expect(decodeString('"abc')).toEqual({ ok: true, value: 'abc' });
    expect(decodeString('"abc\\"')).toEqual({ ok: true, value: 'abc"' });
  });
});
