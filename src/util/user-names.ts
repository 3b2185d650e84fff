// User names by uid, from /etc/passwd, as bpftrace's `username` prints them. Read once per
// process; a uid with no entry prints as its number.
import { readFileSync } from 'node:fs';

let names: Map<string, string> | undefined;

export function userName(uid: bigint): string {
  if (!names) {
    names = new Map();
    let text = '';
    try {
      text = readFileSync('/etc/passwd', 'utf8');
    } catch {
      // No passwd file: every uid prints as its number.
    }
    for (const line of text.split('\n')) {
      const [name, , id] = line.split(':');
      // The first entry of a uid wins, as getpwuid(3) returns it.
      if (name && id !== undefined && !names.has(id)) names.set(id, name);
    }
  }
  return names.get(uid.toString()) ?? uid.toString();
}
