// Writes a cpio archive in the "newc" format, the one the kernel unpacks as an initramfs
// (Documentation/driver-api/early-userspace/buffer-format.rst). Written directly, so the
// runner needs no cpio tool and no staging folder, and can add device nodes unprivileged.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * @typedef {{ path: string, type: 'dir', mode?: number }
 *   | { path: string, type: 'file', mode?: number, data?: Buffer, source?: string }
 *   | { path: string, type: 'char', major: number, minor: number }} Entry
 * A file's contents are `data`, or read from the host file `source`.
 */

const TYPE_BITS = { dir: 0o040000, file: 0o100000, char: 0o020000 };
const DEFAULT_MODE = { dir: 0o755, file: 0o644, char: 0o600 };

function pad4(length) {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino, entry) {
  const data = entry.type !== 'file' ? Buffer.alloc(0) : entry.data ?? readFileSync(entry.source);
  const mode = TYPE_BITS[entry.type] | (entry.mode ?? DEFAULT_MODE[entry.type]);
  const name = Buffer.from(`${entry.path}\0`);
  const fields = [ino, mode, 0, 0, entry.type === 'dir' ? 2 : 1, 0, data.length, 0, 0, entry.major ?? 0, entry.minor ?? 0, name.length, 0];
  const header = Buffer.from('070701' + fields.map((f) => f.toString(16).padStart(8, '0')).join(''));
  return [header, name, pad4(header.length + name.length), data, pad4(data.length)];
}

/** @param {Entry[]} entries parents before children; paths without a leading slash */
export function writeCpio(file, entries) {
  const fd = openSync(file, 'w');
  try {
    entries.forEach((entry, i) => record(i + 1, entry).forEach((part) => writeSync(fd, part)));
    record(0, { path: 'TRAILER!!!', type: 'file', data: Buffer.alloc(0) }).forEach((part) => writeSync(fd, part));
  } finally {
    closeSync(fd);
  }
}
