// Tunnels whose inner packet nettrace parses (`inner.ip.src`, `inner.tcp.dport`): where
// each is recognised and how long its header is. Read by codegen/tunnel.ts and the docs.

/** VXLAN (RFC 7348): UDP to this port, an 8-byte header, then an Ethernet frame. */
export const VXLAN_PORT = 4789;
export const VXLAN_HEADER = 8;
/** Geneve (RFC 8926): UDP to this port, 8 bytes plus options, then what its protocol type says. */
export const GENEVE_PORT = 6081;
export const GENEVE_HEADER = 8;
/** GRE (RFC 2784/2890): IP protocol 47; 4 bytes plus the optional checksum, key and sequence words. */
export const IPPROTO_GRE = 47;
export const GRE_HEADER = 4;
export const GRE_FLAG_CHECKSUM = 0x8000;
export const GRE_FLAG_ROUTING = 0x4000;
export const GRE_FLAG_KEY = 0x2000;
export const GRE_FLAG_SEQUENCE = 0x1000;
/** The protocol type of Ethernet inside a tunnel (transparent Ethernet bridging). */
export const ETH_P_TEB = 0x6558;
