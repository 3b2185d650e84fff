// pcap("FILTER"): true when the packet matches a pcap-filter expression, exactly as
// tcpdump would decide on the same frame (libpcap compiles it; codegen translates the
// classic BPF into the probe's program: src/codegen/pcap/). The filter must be a string
// literal, because it is compiled with the program, and the probe must see packets.
import { E } from '../diagnostics/catalogue.js';
import { argCount } from '../aggregations/args.js';
import { bool } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

export const pcapFunction: ValueFunction = {
  name: 'pcap',
  signature: 'pcap("filter")',
  doc: 'true when the packet matches the pcap-filter expression, as `tcpdump \'filter\'` would (xdp and tc probes)',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const arg = c.call.args[0];
    if (arg.kind !== 'Str') return c.report(E.BadArgument, 'pcap() takes the filter as a string literal: it is compiled with the program', arg.span, 'write: pcap("tcp port 80")');
    if (c.context !== undefined && c.context !== 'xdp' && c.context !== 'skb') {
      return c.report(E.NotInThisProbe, 'pcap() filters packets: it cannot be used in this probe', c.call.span, 'packet filters work in xdp and tc probes');
    }
    return bool;
  },
  emit({ f, call }) {
    const arg = call.args[0];
    if (arg.kind !== 'Str') throw new Error('internal: pcap() without a string literal got past the checker');
    return f.pcapFilter(arg.value, arg.span);
  },
};
