// nettrace's own identity, part of every cache key: a program compiled by another
// version or another build of the compiler is not reused. The package version alone is
// not enough while nettrace is developed (the version stays, the code changes), so the
// build is told by the modification times of this build's compiler entry (tsc writes
// every file of dist/ on each build) and of the LLVM emit addon: two stats.
import { statSync } from 'node:fs';
import { VERSION } from '../version.js';

function mtimeOf(url: URL): string {
  try {
    return statSync(url, { bigint: true }).mtimeNs.toString();
  } catch {
    return 'missing';
  }
}

export function buildIdentity(): string {
  const compiler = mtimeOf(new URL('../compile.js', import.meta.url));
  const emitter = mtimeOf(new URL('../../native/build/Release/nettrace_emit.node', import.meta.url));
  return `${VERSION}/${compiler}/${emitter}`;
}
