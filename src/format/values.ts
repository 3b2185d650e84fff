// How values print: every type knows its text form. Used for map keys, map values,
// printf arguments and JSON alike, so a value looks the same wherever it appears.
import type { DecodedValue } from '../model/decode-value.js';
import type { Type } from '../model/types.js';
import { kernelSymbolAt } from '../util/kallsyms.js';
import { userName } from '../util/user-names.js';
import { formatMonotonic, formatWallClock, wallClockNow } from './strftime.js';
import { kernelStackText } from './kernel-stacks.js';

// IPv6 extension headers by the names tcpdump and iproute2 use (ip6.nexthdr shows them).
const IP_PROTOCOLS: Record<number, string> = {
  0: 'hopopts', 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 41: 'ipv6', 43: 'routing', 44: 'fragment', 47: 'gre',
  50: 'esp', 51: 'ah', 58: 'icmpv6', 59: 'nonxt', 60: 'dstopts', 132: 'sctp',
};
const ETH_PROTOCOLS: Record<number, string> = { 0x0800: 'ipv4', 0x0806: 'arp', 0x86dd: 'ipv6', 0x8100: 'vlan', 0x88a8: 'qinq', 0x8847: 'mpls' };
const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

/**
 * `where` is 'key' for a map key, which a few values print differently in (a kstack's
 * frames are indented by 4 there, as bpftrace does, instead of 8).
 */
export function formatValue(t: Type, v: DecodedValue, where: 'key' | 'value' = 'value'): string {
  if (t.kind === 'int') {
    const n = v as bigint;
    switch (t.show) {
      case 'ipv4':
        return formatIPv4(Number(n));
      case 'ipproto':
        return IP_PROTOCOLS[Number(n)] ?? String(n);
      case 'ethproto':
        return ETH_PROTOCOLS[Number(n)] ?? `0x${n.toString(16).padStart(4, '0')}`;
      case 'tcpflags':
        return formatTcpFlags(Number(n));
      case 'hex':
        return `0x${n.toString(16)}`;
      case 'enum':
        return t.enum?.names[n.toString()] ?? n.toString();
      case 'strftime':
        return t.timeFormat?.now ? formatWallClock(t.timeFormat.format, wallClockNow()) : formatMonotonic(t.timeFormat?.format ?? '', n);
      case 'ksym':
        // bpftrace's ksym(): the symbol's name alone; an address in no symbol as hex
        // (C++'s showbase, so 0 is plain 0).
        return kernelSymbolAt(n)?.name ?? (n === 0n ? '0' : `0x${n.toString(16)}`);
      case 'username':
        return userName(n);
      case 'kstack':
        return kernelStackText(n, t, where === 'key' ? 4 : 8);
      default:
        return n.toString();
    }
  }
  if (t.kind === 'bytes') return t.show === 'mac' ? formatMac(v as Buffer) : t.show === 'buf' ? escapeBytes(v as Buffer, false) : formatIPv6(v as Buffer);
  if (t.kind === 'bool') return v ? 'true' : 'false';
  return String(v);
}

/** `host` is the address as a host-order u32, as nettrace stores it. */
export function formatIPv4(host: number): string {
  return [host >>> 24, (host >>> 16) & 255, (host >>> 8) & 255, host & 255].join('.');
}

export function formatMac(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of zero groups as `::`. */
export function formatIPv6(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export function formatTcpFlags(flags: number): string {
  const names = TCP_FLAGS.filter((_, i) => flags & (1 << i));
  return names.length ? names.join('|') : '0';
}

/**
 * buf() bytes as printf's %r prints them (bpftrace): printable ASCII as itself, any other
 * byte as \xNN; with `hex` (%rx) every byte as \xNN.
 */
export function escapeBytes(bytes: Buffer, hex: boolean): string {
  let out = '';
  for (const b of bytes) out += !hex && b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}
