// pcap("FILTER") and -F in code: libpcap compiles the filter to classic BPF for the
// frames the probe sees (Ethernet at xdp and tc), and classic-bpf.ts translates that
// into this function's IR. A filter libpcap refuses is NT0420 with libpcap's message,
// on the string when the filter was written in the program.
import type { Span } from '../../model/ast.js';
import { E } from '../../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../../diagnostics/diagnostic.js';
import { compilePcapFilter, DLT_EN10MB, DLT_RAW, type ClassicInsn } from '../../native/pcap.js';
import type { FunctionContext } from '../function-context.js';
import type { LLVM } from '../llvm.js';
import { emitClassicProgram } from './classic-bpf.js';
import { classicPacketView } from './packet-view.js';
import { emitSkbPointerFilter, type SkbPointer } from './skb-pointer-view.js';

/** As large as any frame a hook can see: libpcap's accept value, nothing is cut. */
const SNAPLEN = 262144;

/** Classic programs by link type and filter text: one program may test the same filter in many places. */
const compiled = new Map<string, ClassicInsn[]>();

/**
 * Compiles `filter` for Ethernet frames (or raw IP packets, DLT_RAW), or throws NT0420
 * with libpcap's message. `span` is the filter's string in the program; undefined for
 * -F, which has no place in it.
 */
export function compileFilter(filter: string, span: Span | undefined, linktype: number = DLT_EN10MB): ClassicInsn[] {
  const key = `${linktype}:${filter}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const result = compilePcapFilter(filter, linktype, SNAPLEN);
  if (!result.ok) {
    const where = span ? 'pcap filter' : `-F filter '${filter}'`;
    throw new DiagnosticError([error(E.PcapFilterRefused, `libpcap refused the ${where}: ${result.message}`, span, 'the filter is written as for tcpdump: see man 7 pcap-filter')]);
  }
  compiled.set(key, result.insns);
  return result.insns;
}

/** An i1 at the builder's position: does this packet match `filter`, as tcpdump would say. */
export function emitPcapFilter(f: FunctionContext, filter: string, span: Span | undefined, skb?: SkbPointer): LLVM.Value {
  // Through an sk_buff pointer the frame is Ethernet when the MAC header is set, raw IP otherwise.
  // A filter on link-layer things (vlan, ether host, arp) has no raw-IP form (libpcap
  // refuses it for DLT_RAW): then a packet without a MAC header does not match.
  if (skb) return emitSkbPointerFilter(f, skb, compileFilter(filter, span), rawIpFilter(filter));
  const context = f.probeContext;
  if (context !== 'xdp' && context !== 'skb') throw new Error(`internal: pcap filter in a ${context} probe`);
  return emitClassicProgram(f, compileFilter(filter, span), classicPacketView(f, context));
}

/** `filter` compiled for raw IP packets, or undefined when it asks about a link layer they lack. */
function rawIpFilter(filter: string): ClassicInsn[] | undefined {
  const key = `${DLT_RAW}:${filter}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const result = compilePcapFilter(filter, DLT_RAW, SNAPLEN);
  if (!result.ok) return undefined;
  compiled.set(key, result.insns);
  return result.insns;
}
