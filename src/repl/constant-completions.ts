// Constant names Tab offers in a block (issue 11): those the checker resolves there
// (src/check/constants.ts) and that matter for the block's probes, not all of the
// kernel's BTF enumerators (tens of thousands):
// - the names the probes' `args` fields print as (NO_SOCKET, TCP_ESTABLISHED), which the
//   checker resolves in the field's enum;
// - in packet probes, the TCP flags (SYN, ACK ...) and the IP protocol numbers nettrace
//   suggests (IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP).
import type { ResolvedProbe } from '../model/probe.js';
import type { EnumNames } from '../model/types.js';
import { looksLikeConstant } from '../model/constant-name.js';
import { ipProtoSpelling, TCP_FLAG_BITS } from '../check/constants.js';

export function constantCompletions(probes: ResolvedProbe[]): string[] {
  const names = new Set<string>();
  const addEnum = (e: EnumNames | undefined) => {
    for (const name of Object.values(e?.names ?? {})) if (looksLikeConstant(name)) names.add(name);
  };
  for (const probe of probes) {
    const { args } = probe;
    if (args?.kind === 'record') for (const field of args.fields) addEnum(field.type?.kind === 'int' ? field.type.enum : undefined);
    if (args?.kind === 'btf') for (const param of args.params) addEnum(param.enum);
    if (probe.context === 'xdp' || probe.context === 'skb') {
      for (const flag of Object.keys(TCP_FLAG_BITS)) names.add(flag);
      for (const header of ['tcp', 'udp', 'icmp']) names.add(ipProtoSpelling(header)!);
    }
  }
  return [...names].sort();
}
