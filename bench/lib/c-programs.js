// The hand-written C programs of bench/c/, compiled at bench time with clang-14 -O2
// -target bpf -mcpu=v3 (v3, ALU32 and 32-bit jumps, is what nettrace's emitObject targets
// too) and loaded through the same native loader as nettrace's programs, so the
// comparison is between the instructions alone. clang-14 comes from bench/setup.sh.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = fileURLToPath(new URL('../c/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'nettrace-bench-c-'));

export function clangAvailable() {
  try {
    execFileSync('clang-14', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** bench/c/NAME.bpf.c -> ELF object bytes; `defines` become -DKEY=VALUE. */
export function compileC(name, defines = {}) {
  const object = join(out, `${name}-${Object.values(defines).join('-')}.o`);
  const flags = Object.entries(defines).map(([k, v]) => `-D${k}=${v}`);
  execFileSync('clang-14', ['-O2', '-target', 'bpf', '-mcpu=v3', '-I/usr/include/x86_64-linux-gnu', ...flags, '-c', join(SOURCES, `${name}.bpf.c`), '-o', object], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return readFileSync(object);
}
