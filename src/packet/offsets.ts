// Byte offsets as tcpdump writes them (`ip[6:2]`, `tcp[13]`, `ether[12:2]` spelled
// `eth[12:2]`), plus `pkt[N:M]` (the frame) and `payload[N:M]` (after the TCP or UDP
// header): which names take them, the sizes tcpdump allows, and the bound an offset
// must stay under. Read by the checker (names, diagnostics), codegen and the docs.
import type { HeaderName } from '../model/header-name.js';

/** Where the bytes are counted from. */
export type OffsetBase =
  /** The frame as a capture holds it (at tc with the offloaded VLAN tag put back). */
  | 'frame'
  /** The start of a header the prologue found. */
  | { header: HeaderName }
  /** The first byte after the TCP header (its data offset) or the 8-byte UDP header. */
  | 'payload';

/** Names that take `[offset]` / `[offset:size]`, and where each counts from. */
export const OFFSET_BASES: Record<string, OffsetBase> = {
  pkt: 'frame',
  eth: 'frame',
  arp: { header: 'arp' },
  ip: { header: 'ip' },
  ip6: { header: 'ip6' },
  tcp: { header: 'tcp' },
  udp: { header: 'udp' },
  icmp: { header: 'icmp' },
  icmp6: { header: 'icmp6' },
  payload: 'payload',
};

/** tcpdump's sizes: `[n]` one byte, `[n:2]` and `[n:4]` in network byte order. */
export const OFFSET_SIZES = [1, 2, 4] as const;
export type OffsetSize = (typeof OFFSET_SIZES)[number];

/**
 * Offsets past this cannot be inside any frame a hook sees (the largest is 64 KiB); the
 * verifier also needs a bound before it adds an offset to a packet pointer.
 */
export const MAX_PACKET_OFFSET = 0xffff;

/** VLAN tags `vlan[i]` can name: the prologue walks two (the outer is `vlan` = `vlan[0]`). */
export const VLAN_TAGS = 2;

export function offsetBaseOf(name: string): OffsetBase | undefined {
  return Object.prototype.hasOwnProperty.call(OFFSET_BASES, name) ? OFFSET_BASES[name] : undefined;
}
