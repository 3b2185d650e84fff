// Classic pcap files (the format `tcpdump -r` and `-w` use), just enough to write a
// corpus and count what tcpdump wrote back: microsecond timestamps, little-endian,
// link type Ethernet.
import { execFileSync } from 'node:child_process';

const MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;

export function writePcap(frames: Buffer[], snaplen = 262144): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snaplen, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const records = frames.map((frame, i) => {
    const r = Buffer.alloc(16);
    // One frame per millisecond from a fixed epoch: the file is the same every run.
    r.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), 0);
    r.writeUInt32LE((i % 1000) * 1000, 4);
    r.writeUInt32LE(frame.length, 8);
    r.writeUInt32LE(frame.length, 12);
    return Buffer.concat([r, frame]);
  });
  return Buffer.concat([header, ...records]);
}

/** The frames of a classic pcap file in either byte order. */
export function readPcap(file: Buffer): Buffer[] {
  if (file.length < 24) return [];
  const magic = file.readUInt32LE(0);
  const little = magic === MAGIC || magic === 0xa1b23c4d;
  const u32 = (at: number) => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const frames: Buffer[] = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const caplen = u32(at + 8);
    frames.push(file.subarray(at + 16, at + 16 + caplen));
    at += 16 + caplen;
  }
  return frames;
}

/** How many frames of the pcap file `file` tcpdump's filter `filter` selects (`tcpdump -r FILE -w - FILTER`). */
export function tcpdumpCount(file: string, filter: string): number {
  const out = execFileSync('tcpdump', ['-r', file, '-w', '-', filter], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  return readPcap(out).length;
}
