// The packet model as data: which headers nettrace knows, where each field sits inside
// its header, and what type the field has once it is read in host byte order.
// Codegen reads this table; so do the checker (field names, did-you-mean) and the docs.
import type { HeaderName } from '../model/header-name.js';
import { type Type, int, u8, u16, u32 } from '../model/types.js';


/** Where a header starts, as computed once per packet by the parse prologue. */
export type HeaderBase = 'l2' | 'l3' | 'l4';

export interface FieldSpec {
  /** Byte offset inside the header. */
  offset: number;
  /** Bytes read from the packet. */
  size: 1 | 2 | 4 | 6 | 16;
  type: Type;
  /** Shift right by this many bits after the byte swap (before the mask). */
  shift?: number;
  /** Keep only these bits after the byte swap (e.g. the 12-bit VLAN id). */
  mask?: number;
  /**
   * Found by the parse prologue rather than read at `offset`: the EtherType after the
   * VLAN tags, and the VLAN tag itself, which on tc may live in skb metadata instead of
   * the packet data.
   */
  parsed?: 'ethProto' | 'vlanTci' | 'vlanTpid';
  doc: string;
}

export interface HeaderSpec {
  base: HeaderBase;
  /** Bytes that must be inside the packet before any field is read. */
  minSize: number;
  doc: string;
  fields: Record<string, FieldSpec>;
}

const mac: Type = { kind: 'bytes', size: 6, show: 'mac' };
const ipv6: Type = { kind: 'bytes', size: 16, show: 'ipv6' };
const ipv4 = int(32, false, 'ipv4');

export const HEADERS: Record<HeaderName, HeaderSpec> = {
  eth: {
    base: 'l2',
    minSize: 14,
    doc: 'Ethernet header',
    fields: {
      dst: { offset: 0, size: 6, type: mac, doc: 'destination MAC address' },
      src: { offset: 6, size: 6, type: mac, doc: 'source MAC address' },
      proto: { offset: 12, size: 2, type: int(16, false, 'ethproto'), parsed: 'ethProto', doc: 'EtherType of the payload (after VLAN tags)' },
    },
  },
  vlan: {
    base: 'l2',
    minSize: 4,
    doc: '802.1Q VLAN tag (the outer one), in the data or, on tc, in skb->vlan_tci',
    fields: {
      id: { offset: 14, size: 2, type: u16, mask: 0xfff, parsed: 'vlanTci', doc: 'VLAN id (12 bits)' },
      pcp: { offset: 14, size: 2, type: u8, shift: 13, mask: 0x7, parsed: 'vlanTci', doc: 'priority code point (3 bits)' },
      tpid: { offset: 12, size: 2, type: int(16, false, 'ethproto'), parsed: 'vlanTpid', doc: 'the tag\'s TPID: 0x8100 (802.1Q), 0x88a8 (802.1ad) or 0x9100' },
    },
  },
  arp: {
    base: 'l3',
    minSize: 28,
    doc: 'ARP for IPv4 over Ethernet',
    fields: {
      op: { offset: 6, size: 2, type: u16, doc: 'operation (1 request, 2 reply)' },
      sha: { offset: 8, size: 6, type: mac, doc: 'sender hardware (MAC) address' },
      spa: { offset: 14, size: 4, type: ipv4, doc: 'sender protocol (IPv4) address' },
      tha: { offset: 18, size: 6, type: mac, doc: 'target hardware (MAC) address' },
      tpa: { offset: 24, size: 4, type: ipv4, doc: 'target protocol (IPv4) address' },
    },
  },
  ip: {
    base: 'l3',
    minSize: 20,
    doc: 'IPv4 header',
    fields: {
      version: { offset: 0, size: 1, type: u8, shift: 4, doc: 'IP version (4; another value is a malformed packet)' },
      ihl: { offset: 0, size: 1, type: u8, mask: 0xf, doc: 'header length in 32-bit words (5 without options)' },
      tos: { offset: 1, size: 1, type: u8, doc: 'type of service / DSCP+ECN byte' },
      len: { offset: 2, size: 2, type: u16, doc: 'total length' },
      id: { offset: 4, size: 2, type: u16, doc: 'identification' },
      frag_off: { offset: 6, size: 2, type: u16, mask: 0x1fff, doc: 'fragment offset in 8-byte units (not 0: a later fragment)' },
      df: { offset: 6, size: 1, type: u8, shift: 6, mask: 1, doc: 'don\'t-fragment flag (0 or 1)' },
      mf: { offset: 6, size: 1, type: u8, shift: 5, mask: 1, doc: 'more-fragments flag (0 or 1)' },
      ttl: { offset: 8, size: 1, type: u8, doc: 'time to live' },
      proto: { offset: 9, size: 1, type: int(8, false, 'ipproto'), doc: 'protocol of the payload' },
      checksum: { offset: 10, size: 2, type: u16, doc: 'header checksum, as sent' },
      src: { offset: 12, size: 4, type: ipv4, doc: 'source address' },
      dst: { offset: 16, size: 4, type: ipv4, doc: 'destination address' },
    },
  },
  ip6: {
    base: 'l3',
    minSize: 40,
    doc: 'IPv6 header',
    fields: {
      tclass: { offset: 0, size: 2, type: u8, shift: 4, mask: 0xff, doc: 'traffic class (DSCP+ECN)' },
      flowlabel: { offset: 0, size: 4, type: u32, mask: 0xfffff, doc: 'flow label (20 bits)' },
      len: { offset: 4, size: 2, type: u16, doc: 'payload length' },
      nexthdr: { offset: 6, size: 1, type: int(8, false, 'ipproto'), doc: 'next header' },
      hoplimit: { offset: 7, size: 1, type: u8, doc: 'hop limit' },
      src: { offset: 8, size: 16, type: ipv6, doc: 'source address' },
      dst: { offset: 24, size: 16, type: ipv6, doc: 'destination address' },
    },
  },
  tcp: {
    base: 'l4',
    minSize: 20,
    doc: 'TCP header',
    fields: {
      sport: { offset: 0, size: 2, type: u16, doc: 'source port' },
      dport: { offset: 2, size: 2, type: u16, doc: 'destination port' },
      seq: { offset: 4, size: 4, type: u32, doc: 'sequence number' },
      ack: { offset: 8, size: 4, type: u32, doc: 'acknowledgment number' },
      doff: { offset: 12, size: 1, type: u8, shift: 4, doc: 'header length in 32-bit words (5 without options)' },
      flags: { offset: 13, size: 1, type: int(8, false, 'tcpflags'), doc: 'flags: FIN SYN RST PSH ACK URG ECE CWR' },
      win: { offset: 14, size: 2, type: u16, doc: 'receive window' },
      checksum: { offset: 16, size: 2, type: u16, doc: 'checksum, as sent' },
      urg: { offset: 18, size: 2, type: u16, doc: 'urgent pointer' },
    },
  },
  udp: {
    base: 'l4',
    minSize: 8,
    doc: 'UDP header',
    fields: {
      sport: { offset: 0, size: 2, type: u16, doc: 'source port' },
      dport: { offset: 2, size: 2, type: u16, doc: 'destination port' },
      len: { offset: 4, size: 2, type: u16, doc: 'length of header and payload' },
      checksum: { offset: 6, size: 2, type: u16, doc: 'checksum, as sent (0: none, IPv4 only)' },
    },
  },
  icmp: {
    base: 'l4',
    minSize: 4,
    doc: 'ICMP (v4) header',
    fields: {
      type: { offset: 0, size: 1, type: u8, doc: 'message type (8 echo request, 0 echo reply)' },
      code: { offset: 1, size: 1, type: u8, doc: 'message code' },
      id: { offset: 4, size: 2, type: u16, doc: 'identifier (echo request and reply)' },
      seq: { offset: 6, size: 2, type: u16, doc: 'sequence number (echo request and reply)' },
    },
  },
  icmp6: {
    base: 'l4',
    minSize: 4,
    doc: 'ICMPv6 header',
    fields: {
      type: { offset: 0, size: 1, type: u8, doc: 'message type (128 echo request, 129 echo reply, 135 neighbour solicitation)' },
      code: { offset: 1, size: 1, type: u8, doc: 'message code' },
    },
  },
};

/** `pkt.*`: the packet itself rather than one of its headers, readable wherever there is a packet. */
export const PKT_FIELDS: Record<string, { type: Type; doc: string }> = {
  len: { type: u32, doc: 'bytes of packet data the hook sees (from the Ethernet header on)' },
};

export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;
export const ETH_P_8021Q = 0x8100;
export const ETH_P_8021AD = 0x88a8;
/** The pre-standard QinQ TPID some switches still send; tcpdump's `vlan` knows it too. */
export const ETH_P_QINQ1 = 0x9100;
/** The TPIDs that start a VLAN tag in the data, as libpcap's `vlan` recognises them. */
export const VLAN_TPIDS = [ETH_P_8021Q, ETH_P_8021AD, ETH_P_QINQ1];
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMPV6 = 58;

/** IPv6 extension headers the prologue skips: hop-by-hop, routing, fragment, AH, destination options. */
export const IPV6_EXTENSION_HEADERS = [0, 43, 44, 51, 60];

/**
 * What the prologue must find for a header to be present. A transport header needs
 * l4 behind an IP header: `l3of` names the only network protocol it belongs to.
 */
export const HEADER_PRESENCE: Record<HeaderName, { l3?: number; l4?: number; l3of?: number; vlan?: true }> = {
  eth: {},
  vlan: { vlan: true },
  arp: { l3: ETH_P_ARP },
  ip: { l3: ETH_P_IP },
  ip6: { l3: ETH_P_IPV6 },
  tcp: { l4: IPPROTO_TCP },
  udp: { l4: IPPROTO_UDP },
  icmp: { l4: IPPROTO_ICMP, l3of: ETH_P_IP },
  icmp6: { l4: IPPROTO_ICMPV6, l3of: ETH_P_IPV6 },
};

export function isHeaderName(name: string): name is HeaderName {
  return Object.prototype.hasOwnProperty.call(HEADERS, name);
}
