// The Debian archive this machine already installs from, read from its apt sources, so
// kernels come from the same mirror (and through the same network path) as every other
// package: the repository never names a host.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const SOURCES_DIR = '/etc/apt/sources.list.d';

/** Entries as { types, uris, suites, signedBy } from deb822 (.sources) and one-line (.list) files. */
function sourceEntries() {
  const entries = [];
  const files = existsSync(SOURCES_DIR) ? readdirSync(SOURCES_DIR).map((f) => `${SOURCES_DIR}/${f}`) : [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(stanza)?.[1].trim().split(/\s+/) ?? [];
        if (/^Enabled:\s*no/mi.test(stanza)) continue;
        // Signed-By is a keyring's path, or the key itself inline (then apt's default keyrings apply).
        const signedBy = field('Signed-By')[0];
        entries.push({ types: field('Types'), uris: field('URIs'), suites: field('Suites'), signedBy: signedBy?.startsWith('/') ? signedBy : undefined });
      }
    } else if (file.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const m = /^\s*(deb)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)/.exec(line);
        if (!m) continue;
        const signedBy = /signed-by=(\S+)/.exec(m[2] ?? '')?.[1];
        entries.push({ types: [m[1]], uris: [m[3]], suites: [m[4]], signedBy });
      }
    }
  }
  return entries;
}

/**
 * The main archive: a `deb` entry with a release suite (a plain codename such as
 * bookworm, not bookworm-security or bookworm-updates, which other URIs serve).
 * @returns {{ uri: string, signedBy?: string }}
 */
export function debianMirror() {
  for (const e of sourceEntries()) {
    if (e.types.includes('deb') && e.suites.some((s) => /^[a-z]+$/.test(s)) && e.uris[0]) {
      return { uri: e.uris[0], signedBy: e.signedBy };
    }
  }
  throw new Error(`no Debian archive found in ${SOURCES_DIR} or /etc/apt/sources.list`);
}
