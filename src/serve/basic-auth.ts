// Basic auth against the web config's bcrypt hashes, with bcryptjs (pure JavaScript: Node
// has no bcrypt). A check costs tens of milliseconds by design, so it runs asynchronously
// and a pair that passed is remembered (by its SHA-256, never the password itself) for
// the next scrapes; an unknown user is checked against a dummy hash all the same, so the
// answer's timing does not tell which users exist.
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** A valid bcrypt hash of nothing anyone sends; only its cost matters. */
const DUMMY_HASH = '$2a$10$CwTycUXWue0Thq9StjUM0uJ8.jTBGZx1VyK5ZnrUPzXqBgmg0MmYi';
const REMEMBERED_MAX = 64;

export class BasicAuth {
  private readonly remembered = new Set<string>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  /** Whether the Authorization header carries a user and password of the config. */
  async allows(authorization: string | undefined): Promise<boolean> {
    const credentials = parseBasic(authorization);
    if (!credentials) return false;
    const hash = this.users.get(credentials.user);
    const fingerprint = createHash('sha256').update(`${credentials.user}\0${credentials.password}\0${hash ?? ''}`).digest('hex');
    if (hash !== undefined && this.remembered.has(fingerprint)) return true;
    const ok = await bcrypt.compare(credentials.password, hash ?? DUMMY_HASH);
    if (!ok || hash === undefined) return false;
    if (this.remembered.size >= REMEMBERED_MAX) this.remembered.clear();
    this.remembered.add(fingerprint);
    return true;
  }
}

/** `Basic base64(user:password)`; the password may contain colons. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
