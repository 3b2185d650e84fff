// The kernel's identity in the cache key: a hash of the BTF file, remembered with the boot
// it was made in so that later runs of the same boot only stat the file, and made again
// in a new boot (a new kernel comes only with one).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { kernelIdentity, type KernelFiles } from '../../../src/cache/kernel-identity.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function fakeKernel(): KernelFiles {
  dir = mkdtempSync(join(tmpdir(), 'ntk-kid-'));
  const files = { btf: join(dir, 'vmlinux'), bootId: join(dir, 'boot_id'), procVersion: join(dir, 'version') };
  writeFileSync(files.btf, 'btf one');
  writeFileSync(files.bootId, 'boot-1\n');
  writeFileSync(files.procVersion, 'Linux version 6.18 #1\n');
  return files;
}

describe('kernelIdentity', () => {
  it('hashes the BTF once per boot, then trusts the memo', () => {
    const files = fakeKernel();
    const first = kernelIdentity(dir, files);
    expect(first).toBe(`Linux version 6.18 #1\n${sha('btf one')}`);
    expect(JSON.parse(readFileSync(join(dir, 'kernel-identity.json'), 'utf8'))).toMatchObject({ bootId: 'boot-1', btfSha256: sha('btf one') });
    // Same boot, same size: the memo answers (the file is not read again).
    writeFileSync(files.btf, 'btf ONE');
    expect(kernelIdentity(dir, files)).toBe(first);
  });

  it('a new boot hashes again, and a new kernel gives a new identity', () => {
    const files = fakeKernel();
    const first = kernelIdentity(dir, files);
    writeFileSync(files.btf, 'btf two');
    writeFileSync(files.bootId, 'boot-2\n');
    writeFileSync(files.procVersion, 'Linux version 6.19 #1\n');
    const second = kernelIdentity(dir, files);
    expect(second).not.toBe(first);
    expect(second).toBe(`Linux version 6.19 #1\n${sha('btf two')}`);
  });

  it('a BTF of another size in the same boot is hashed again', () => {
    const files = fakeKernel();
    kernelIdentity(dir, files);
    writeFileSync(files.btf, 'btf longer');
    expect(kernelIdentity(dir, files)).toContain(sha('btf longer'));
  });

  it('a kernel without BTF still has an identity (its /proc/version)', () => {
    const files = fakeKernel();
    rmSync(files.btf);
    expect(kernelIdentity(dir, files)).toBe('Linux version 6.18 #1\nno-btf');
  });
});
