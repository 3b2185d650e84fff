// pcap("FILTER") and pcap(SKB, "FILTER"): true when the packet matches a pcap-filter
// expression, exactly as tcpdump would decide on the same frame (libpcap compiles it;
// codegen translates the classic BPF into the probe's program: src/codegen/pcap/). The
// filter must be a string literal, because it is compiled with the program. Without SKB
// the probe must see packets (xdp, tc); with it, SKB is a struct sk_buff pointer, as in
// capture(SKB), and the filter reads that sk_buff's linear bytes in any probe.
import { E } from '../diagnostics/catalogue.js';
import { bool } from '../model/types.js';
import { isSkbPointer } from './capture-skb-layout.js';
import type { ValueFunction } from './value-function.js';

export const pcapFunction: ValueFunction = {
  name: 'pcap',
  signature: 'pcap([SKB,] "filter")',
  doc: 'true when the packet matches the pcap-filter expression, as `tcpdump \'filter\'` would: the frame in xdp and tc probes, the sk_buff SKB points at elsewhere (`pcap(args.skb, "udp")`)',
  check(c) {
    const { args } = c.call;
    if (args.length !== 1 && args.length !== 2) {
      return c.report(E.WrongArgCount, `pcap() takes the filter, or an sk_buff and the filter: ${this.signature}`, c.call.span);
    }
    const filter = args[args.length - 1];
    if (filter.kind !== 'Str') return c.report(E.BadArgument, 'pcap() takes the filter as a string literal: it is compiled with the program', filter.span, 'write: pcap("tcp port 80")');
    if (args.length === 2) {
      const skb = args[0];
      const type = c.argTypes[0];
      if (!type) return undefined;
      if (!isSkbPointer(type)) {
        const what = type.kind === 'int' && type.pointer ? type.pointer.ctype : 'not one';
        return c.report(E.PcapSkbArgument, `pcap(SKB, "filter") reads the packet through a struct sk_buff pointer; this is ${what}`, skb.span, 'cast an address: pcap((struct sk_buff *)args.skbaddr, "udp")');
      }
      if (!c.skbLayout?.()) {
        return c.report(E.PcapSkbArgument, "this kernel's BTF has no struct sk_buff with the fields pcap(SKB, ...) reads (head, data, len, tail, mac_header, network_header)", skb.span);
      }
      return bool;
    }
    if (c.context !== undefined && c.context !== 'xdp' && c.context !== 'skb') {
      return c.report(E.NotInThisProbe, 'pcap("filter") filters the packet of an xdp or tc probe: this probe has none', c.call.span, 'give it an sk_buff: pcap(args.skb, "udp"), or pcap((struct sk_buff *)args.skbaddr, "udp") in a tracepoint');
    }
    return bool;
  },
  emit({ f, call, args }) {
    const filter = call.args[call.args.length - 1];
    if (filter.kind !== 'Str') throw new Error('internal: pcap() without a string literal got past the checker');
    if (call.args.length === 1) return f.pcapFilter(filter.value, filter.span);
    const layout = f.checked.pcapSkbs?.get(call);
    if (!layout) throw new Error('internal: pcap(SKB, ...) the checker did not record');
    return f.pcapFilter(filter.value, filter.span, { pointer: args[0], layout });
  },
};
