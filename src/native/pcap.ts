// libpcap's filter compiler through nettrace_pcap.node: a pcap-filter expression to a
// classic BPF program, compiled on a dead handle (no device opened, nothing captured).
// Only the compiler needs it: codegen translates the program into the probe's own IR
// (src/codegen/pcap/), so a compiled program never loads libpcap.
import { nativeModule } from './errors.js';

/** One classic BPF instruction as libpcap makes it: opcode, jump-if-true, jump-if-false, constant. */
export type ClassicInsn = [code: number, jt: number, jf: number, k: number];

export type PcapCompileResult = { ok: true; insns: ClassicInsn[] } | { ok: false; message: string };

interface PcapAddon {
  compilePcapFilter(filter: string, linktype: number, snaplen: number): PcapCompileResult;
}

/** Link types nettrace compiles for (pcap-linktype(7)). */
export const DLT_EN10MB = 1;
export const DLT_RAW = 12;

const pcap = nativeModule<PcapAddon>('nettrace_pcap.node');

/**
 * Compiles `filter` for frames of `linktype` with libpcap's optimiser on. A filter
 * libpcap refuses comes back as { ok: false } with libpcap's own message.
 */
export function compilePcapFilter(filter: string, linktype: number, snaplen = 262144): PcapCompileResult {
  return pcap.call((n) => n.compilePcapFilter(filter, linktype, snaplen));
}
