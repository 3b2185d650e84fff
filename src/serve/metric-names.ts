// Prometheus names for nettrace's maps and their keys. A metric is `nettrace_` and the
// map's name (`@` alone is `nettrace_map`); a label is named after the key expression
// (`ip.src` -> `ip_src`, `$port` -> `port`), and a computed key (`x + 1`, `$1` once
// substituted) is `key0`, `key1` ... by its place: binding the key to a variable first
// (`$port = tcp.dport + 0; @[$port] = count()`) is how a user names it.
import type { MapDescription } from '../model/compiled-program.js';

/** The metric name of a map, before any `_total`/`_bucket` suffix. */
export function metricBaseName(displayName: string): string {
  const name = displayName.replace(/^@/, '');
  return name === '' ? 'nettrace_map' : `nettrace_${sanitise(name)}`;
}

/**
 * The label names of a map's keys, in key order: unique, valid, never reserved (`__...`)
 * and never `le` or `quantile`, which histograms and summaries use themselves.
 */
export function labelNames(map: Pick<MapDescription, 'key' | 'origin'>): string[] {
  const taken = new Set<string>();
  return map.key.fields.map((_, i) => {
    const written = map.origin?.keys[i];
    let name = written === undefined ? `key${i}` : sanitise(written.replace(/^\$/, ''));
    if (name.startsWith('__') || RESERVED_LABELS.has(name)) name = `key_${name.replace(/^_+/, '')}`;
    if (taken.has(name)) name = `${name}_${i}`;
    taken.add(name);
    return name;
  });
}

const RESERVED_LABELS = new Set(['le', 'quantile']);

/** Anything outside [a-zA-Z0-9_] becomes `_`; a leading digit gets a `_` before it. */
export function sanitise(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) || cleaned === '' ? `_${cleaned}` : cleaned;
}
