// Writes a file so that readers see the old content or the new, never a part: write a
// temporary file in the same directory, then rename it over the target (atomic on one
// file system). A crash leaves at most a `.tmp-*` file, which eviction removes.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export const TEMP_PREFIX = '.tmp-';

export function writeAtomically(path: string, data: Uint8Array): void {
  const slash = path.lastIndexOf('/');
  const temp = `${path.slice(0, slash + 1)}${TEMP_PREFIX}${process.pid}-${Date.now()}-${path.slice(slash + 1)}`;
  try {
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
