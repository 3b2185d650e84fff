// A network literal as `in` tests it: `10.0.0.0/8`. Bits set past the prefix
// (`10.1.2.3/8`) would be masked away silently, so the checker refuses them, as tcpdump
// refuses `net 10.1.2.3/8` ("non-network bits set").

/** The literal's bytes with every bit past `prefix` cleared. */
export function networkPart(bytes: number[], prefix: number): number[] {
  return bytes.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
}

/** The network written without host bits, as text: `10.0.0.0/8`, `fd00::/8`; undefined when it has none. */
export function withoutHostBits(bytes: number[], prefix: number, family: 4 | 6): string | undefined {
  const net = networkPart(bytes, prefix);
  if (net.every((b, i) => b === bytes[i])) return undefined;
  if (family === 4) return `${net.join('.')}/${prefix}`;
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((net[i] << 8) | net[i + 1]).toString(16));
  // The longest run of zero groups becomes '::' (RFC 5952).
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  const text = best.at < 0 ? groups.join(':') : `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
  return `${text}/${prefix}`;
}
