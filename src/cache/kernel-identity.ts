// The running kernel's identity, part of every cache key: a compiled program carries
// what the checker took from this kernel (BTF offsets, tracepoint formats, enum names),
// so it is reused only on the kernel it was compiled on. The identity is /proc/version
// (release, build number, build time, compiler) and a SHA-256 of /sys/kernel/btf/vmlinux.
// Hashing the 5.5 MB file costs ~10 ms (read ~7 ms, hash ~3 ms), so the hash is kept in
// the cache directory with the boot it was computed in (/proc/sys/kernel/random/boot_id),
// the file's size and /proc/version, and computed again only in a new boot: vmlinux's BTF
// is part of the kernel image and cannot change while it runs. (Not its mtime: sysfs
// gives an inode the current time whenever it is made again after being evicted, which
// happens under memory pressure.)
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from './atomic-write.js';

const MEMO_FILE = 'kernel-identity.json';

/** Where the kernel's facts are read; tests point them at files of their own. */
export interface KernelFiles {
  btf: string;
  bootId: string;
  procVersion: string;
}

const KERNEL_FILES: KernelFiles = {
  btf: '/sys/kernel/btf/vmlinux',
  bootId: '/proc/sys/kernel/random/boot_id',
  procVersion: '/proc/version',
};

interface Memo {
  procVersion: string;
  bootId: string;
  btfSize: number;
  btfSha256: string;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** A string that changes whenever the kernel (or its BTF) does. */
export function kernelIdentity(cacheDir: string, files: KernelFiles = KERNEL_FILES): string {
  const procVersion = readText(files.procVersion).trim();
  let btfSize: number;
  try {
    btfSize = statSync(files.btf).size;
  } catch {
    return `${procVersion}\nno-btf`;
  }
  const bootId = readText(files.bootId).trim();
  const memoPath = join(cacheDir, MEMO_FILE);
  const memo = readMemo(memoPath);
  if (bootId !== '' && memo && memo.procVersion === procVersion && memo.bootId === bootId && memo.btfSize === btfSize) {
    return `${procVersion}\n${memo.btfSha256}`;
  }
  let btfSha256: string;
  try {
    btfSha256 = createHash('sha256').update(readFileSync(files.btf)).digest('hex');
  } catch {
    return `${procVersion}\nunreadable-btf`;
  }
  try {
    writeAtomically(memoPath, Buffer.from(JSON.stringify({ procVersion, bootId, btfSize, btfSha256 } satisfies Memo)));
  } catch {
    // A read-only cache still works; the hash is recomputed next time.
  }
  return `${procVersion}\n${btfSha256}`;
}

function readMemo(path: string): Memo | undefined {
  try {
    const memo = JSON.parse(readFileSync(path, 'utf8')) as Memo;
    return typeof memo.btfSha256 === 'string' && /^[0-9a-f]{64}$/.test(memo.btfSha256) ? memo : undefined;
  } catch {
    return undefined;
  }
}
