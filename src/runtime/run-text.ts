// What cat() and system() print (src/functions/cat-system.ts): done when their record
// arrives, in order with the program's other lines, as bpftrace does.
// - cat: the file's contents as they are; a file that cannot be read prints nothing and
//   its error goes to stderr with bpftrace's wording.
// - system: the command run by /bin/sh; its stdout is printed, its stderr passes through.
import { readFileSync } from 'node:fs';
import { childProcess } from '../util/child-process.js';

/** The text to print for a cat() or system() whose formatted argument is `text`. */
export function runText(kind: 'cat' | 'system', text: string): string {
  if (kind === 'cat') {
    try {
      return readFileSync(text, 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
      process.stderr.write(`ERROR: failed to open file '${text}': ${reason}\n`);
      return '';
    }
  }
  const result = childProcess().spawnSync('/bin/sh', ['-c', text], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return result.stdout ?? '';
}
