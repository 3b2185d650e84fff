// The packet headers nettrace knows, by name: the vocabulary the packet model's table
// (src/packet/model.ts) and the checker's kernel-read plans (kernel-read.ts) share.
export type HeaderName = 'eth' | 'vlan' | 'arp' | 'ip' | 'ip6' | 'tcp' | 'udp' | 'icmp' | 'icmp6';
