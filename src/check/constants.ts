// Symbolic constants: the names nettrace prints, written back in a program.
// `args.newstate == TCP_ESTABLISHED`, `args.reason == NO_SOCKET`, `ip.proto == IPPROTO_UDP`,
// `tcp.flags == SYN|ACK`. Values come from the kernel's BTF enums, so a program means what
// the kernel it runs on means; only the TCP flag bits, which the kernel spells as #defines
// (TCPHDR_SYN) that BTF never sees, come from the small table below.
import type { Btf } from '../btf/reader.js';
import type { EnumNames } from '../model/types.js';

/**
 * The bits of the TCP header's flags byte (RFC 9293, RFC 3168), named as tcp.flags prints
 * them. Also accepted with the kernel's TCPHDR_ prefix (include/net/tcp.h).
 */
export const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
};

export { looksLikeConstant } from '../model/constant-name.js';

/**
 * How to write the protocol number of a header whose name is also an IP protocol (`udp` ->
 * IPPROTO_UDP). IPPROTO_ICMPV6 is a #define (uapi/linux/in6.h), not in BTF: its number.
 */
export function ipProtoSpelling(header: string): string | undefined {
  const names: Record<string, string> = { tcp: 'IPPROTO_TCP', udp: 'IPPROTO_UDP', icmp: 'IPPROTO_ICMP', icmp6: '58' };
  return names[header];
}

export class Constants {
  private allNames?: string[];

  constructor(private readonly btf: () => Btf | undefined) {}

  /**
   * The value of `name`. First the enum of the value it is compared with (`args.reason ==
   * NO_SOCKET` names `enum skb_drop_reason`'s values as nettrace prints them), then the
   * TCP flag bits (ahead of BTF, so a driver's enumerator named ACK could not change what
   * `tcp.flags == SYN|ACK` means), then any enumerator of the kernel by its full C name.
   */
  resolve(name: string, context?: EnumNames): bigint | undefined {
    if (context) {
      for (const [value, printed] of Object.entries(context.names)) {
        if (printed === name) return BigInt(value);
      }
    }
    const flag = TCP_FLAG_BITS[name.replace(/^TCPHDR_/, '')];
    if (flag !== undefined) return BigInt(flag);
    return this.btf()?.findEnumerator(name)?.value;
  }

  /** Every name resolve() could accept without a context, for "did you mean". */
  known(context?: EnumNames): string[] {
    if (!this.allNames) {
      const names = new Set<string>(Object.keys(TCP_FLAG_BITS));
      const btf = this.btf();
      for (let id = 1; btf && id < btf.count; id++) {
        if (btf.kindOf(id) !== 'enum') continue; // enum64 reads as 'enum' too
        const t = btf.get(id);
        if (t && 'values' in t) for (const v of t.values) names.add(v.name);
      }
      this.allNames = [...names];
    }
    return context ? [...Object.values(context.names), ...this.allNames] : this.allNames;
  }
}
