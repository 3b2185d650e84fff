// The pcapng blocks: their layout, lengths and padding by hand, and the whole file as
// Wireshark's own reader (tshark) and tcpdump read it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enhancedPacket, interfaceDescription, interfaceStatistics, LINKTYPE, sectionHeader } from '../../../src/capture/pcapng.js';
import { CaptureFile } from '../../../src/capture/capture-file.js';

const dir = mkdtempSync(join(tmpdir(), 'nt-pcapng-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 60-byte Ethernet/IPv4/UDP frame 10.0.0.1:1000 -> 10.0.0.2:2000 with 18 bytes of payload. */
function udpFrame(payload = 18): Buffer {
  const ip = Buffer.alloc(20 + 8 + payload);
  ip[0] = 0x45;
  ip.writeUInt16BE(ip.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from([10, 0, 0, 1, 10, 0, 0, 2]).copy(ip, 12);
  ip.writeUInt16BE(1000, 20);
  ip.writeUInt16BE(2000, 22);
  ip.writeUInt16BE(8 + payload, 24);
  const eth = Buffer.from('02000000000202000000000108 00'.replace(/ /g, ''), 'hex');
  return Buffer.concat([eth, ip]);
}

function blocks(file: Buffer): { type: number; length: number }[] {
  const out = [];
  for (let at = 0; at < file.length; ) {
    const type = file.readUInt32LE(at);
    const length = file.readUInt32LE(at + 4);
    expect(file.readUInt32LE(at + length - 4), 'trailing length').toBe(length);
    expect(length % 4).toBe(0);
    out.push({ type, length });
    at += length;
  }
  return out;
}

describe('pcapng blocks', () => {
  it('section header: magic, byte order, version 1.0, unknown length, padded application option', () => {
    const b = sectionHeader('nettrace');
    expect(b.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(b.readUInt32LE(8)).toBe(0x1a2b3c4d);
    expect([b.readUInt16LE(12), b.readUInt16LE(14)]).toEqual([1, 0]);
    expect(b.readBigInt64LE(16)).toBe(-1n);
    // option 4 (shb_userappl), 8 bytes, no padding needed, then opt_endofopt
    expect([b.readUInt16LE(24), b.readUInt16LE(26)]).toEqual([4, 8]);
    expect(b.subarray(28, 36).toString()).toBe('nettrace');
    expect(b.readUInt32LE(36)).toBe(0);
    expect(b.length).toBe(44);
    expect(b.readUInt32LE(4)).toBe(44);
  });

  it('enhanced packet: data and comment padded to 4 bytes, lengths as given', () => {
    const data = Buffer.from([1, 2, 3, 4, 5]);
    const b = enhancedPacket({ interfaceId: 3, timestampNs: 0x1_0000_0002n, data, originalLength: 9, comment: 'abc', direction: 'out' });
    expect(b.readUInt32LE(0)).toBe(6);
    expect(b.readUInt32LE(8)).toBe(3);
    expect([b.readUInt32LE(12), b.readUInt32LE(16)]).toEqual([1, 2]);
    expect([b.readUInt32LE(20), b.readUInt32LE(24)]).toEqual([5, 9]);
    expect([...b.subarray(28, 36)]).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    expect([b.readUInt16LE(36), b.readUInt16LE(38)]).toEqual([1, 3]);
    expect(b.subarray(40, 44).toString('latin1')).toBe('abc\0');
    expect([b.readUInt16LE(44), b.readUInt16LE(46), b.readUInt32LE(48)]).toEqual([2, 4, 2]);
    expect(b.readUInt32LE(52)).toBe(0);
    expect(b.length).toBe(60);
    expect(b.readUInt32LE(4)).toBe(60);
  });

  it('interface description and statistics are whole blocks', () => {
    const idb = interfaceDescription({ linktype: LINKTYPE.RAW, snaplen: 128, name: 'eth0', description: 'x' });
    expect(idb.readUInt16LE(8)).toBe(101);
    expect(idb.readUInt32LE(12)).toBe(128);
    expect(blocks(idb)).toEqual([{ type: 1, length: idb.length }]);
    const isb = interfaceStatistics({ interfaceId: 0, timestampNs: 5n, received: 3n, dropped: 1n, delivered: 2n });
    expect(blocks(isb)).toEqual([{ type: 5, length: isb.length }]);
  });
});

describe('a capture file as tshark and tcpdump read it', () => {
  const parts: Buffer[] = [];
  const file = new CaptureFile({
    write: (b) => parts.push(b),
    snaplen: 262144,
    sites: [
      { id: 0, probe: 'xdp:veth0', direction: 'in', fromSkb: false },
      { id: 1, probe: 'tracepoint:skb:kfree_skb', reasonNames: { name: 'enum skb_drop_reason', names: { '3': 'NO_SOCKET' } }, fromSkb: true },
    ],
    interfaceName: (i) => (i === 7 ? 'veth0' : undefined),
    ownNetns: 4026531840,
    clockOffsetNs: 1_700_000_000_000_000_000n,
    application: 'nettrace test',
  });
  file.packet({ site: 0, monotonicNs: 1n, ifindex: 7, origLen: 60, rawIp: false, data: udpFrame() });
  file.packet({ site: 0, monotonicNs: 2n, ifindex: 7, origLen: 61, rawIp: false, data: udpFrame(19) });
  file.packet({ site: 1, monotonicNs: 3n, ifindex: 7, origLen: 47, rawIp: true, reason: 3, netns: 4026532000, data: udpFrame(19).subarray(14) });
  file.finish([2n, 0n]);
  const path = join(dir, 'test.pcapng');
  writeFileSync(path, Buffer.concat(parts));

  it('is a chain of whole blocks: SHB, IDBs, EPBs, ISBs', () => {
    expect(blocks(Buffer.concat(parts)).map((b) => b.type)).toEqual([0x0a0d0d0a, 1, 6, 6, 1, 6, 5, 5]);
    expect(execFileSync('capinfos', ['-M', path], { encoding: 'utf8' })).toMatch(/File encapsulation:\s+ether\b/);
  });

  it('tshark reads every packet, its interface, length and comment', () => {
    const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.interface_name', '-e', 'frame.len', '-e', 'frame.comment', '-e', 'udp.dstport'], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual([
      'veth0|60|probe xdp:veth0; direction in; netns 4026531840|2000',
      'veth0|61|probe xdp:veth0; direction in; netns 4026531840|2000',
      // another namespace's interface is named by index: the name here would be another's
      'ifindex 7 in netns 4026532000|61|probe tracepoint:skb:kfree_skb; reason NO_SOCKET (3); netns 4026532000; no MAC header (addresses made up)|2000',
    ]);
  });

  it('capinfos counts the packets and tcpdump reads them', () => {
    expect(execFileSync('capinfos', ['-c', '-M', path], { encoding: 'utf8' })).toMatch(/Number of packets:\s+3\b/);
    const lines = execFileSync('tcpdump', ['-nn', '-r', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/10\.0\.0\.1\.1000 > 10\.0\.0\.2\.2000: UDP, length 18/);
  });

  it('the refused packets are in the statistics block of their probe (isb_ifdrop)', () => {
    const bytes = Buffer.concat(parts);
    const stats: { interfaceId: number; options: Record<number, bigint> }[] = [];
    let at = 0;
    for (const b of blocks(bytes)) {
      if (b.type === 5) {
        const options: Record<number, bigint> = {};
        for (let o = at + 20; o < at + b.length - 4; ) {
          const code = bytes.readUInt16LE(o);
          const len = bytes.readUInt16LE(o + 2);
          if (code === 0) break;
          if (len === 8 && code >= 4) options[code] = bytes.readBigUInt64LE(o + 4);
          o += 4 + ((len + 3) & ~3);
        }
        stats.push({ interfaceId: bytes.readUInt32LE(at + 8), options });
      }
      at += b.length;
    }
    // 4 isb_ifrecv, 5 isb_ifdrop, 8 isb_usrdeliv
    expect(stats).toEqual([
      { interfaceId: 0, options: { 4: 4n, 5: 2n, 8: 2n } },
      { interfaceId: 1, options: { 4: 1n, 5: 0n, 8: 1n } },
    ]);
    expect(execFileSync('capinfos', ['-M', path], { encoding: 'utf8' })).toMatch(/Number of stat entries = 1/);
  });
});
