// A run's capture (-w, the REPL's .capture): the pcapng file the packets go to, and what
// the run says about it at the end (packets written, and any the capture ring refused:
// NT0571, never silent; the same counts are in the file's interface statistics blocks).
import { CaptureFile } from './capture-file.js';
import { E } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CapturedPacket } from '../model/capture.js';
import { DEFAULT_SNAPLEN } from '../model/capture.js';
import type { CompiledProgram } from '../model/compiled-program.js';
import { VERSION } from '../version.js';
import { interfaceNames, ownNetns, type CaptureSink } from './capture-sink.js';

export interface CaptureRun {
  packet(p: CapturedPacket): void;
  /** Writes the statistics and closes the sink; returns the warnings (NT0571) and the closing line. */
  finish(refusedBySite: bigint[]): { lost: Diagnostic[]; summary: string };
}

export function startCapture(compiled: CompiledProgram, sink: CaptureSink): CaptureRun {
  const sites = compiled.captures ?? [];
  const file = new CaptureFile({
    write: (bytes) => sink.write(bytes),
    snaplen: compiled.snaplen ?? DEFAULT_SNAPLEN,
    sites,
    interfaceName: interfaceNames(),
    ownNetns: ownNetns(),
    // bpf_ktime_get_ns() and process.hrtime() both read CLOCK_MONOTONIC.
    clockOffsetNs: BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint(),
    application: `nettrace ${VERSION}`,
  });
  return {
    packet: (p) => file.packet(p),
    finish(refusedBySite) {
      file.finish(refusedBySite);
      sink.close();
      const lost: Diagnostic[] = [];
      refusedBySite.forEach((n, site) => {
        if (n === 0n) return;
        lost.push({
          code: E.CapturePacketsRefused.code,
          severity: 'warning',
          message: `${n} packet${n === 1n ? '' : 's'} captured at ${sites[site]?.probe ?? `site ${site}`} ${n === 1n ? 'was' : 'were'} lost: the capture ring buffer was full`,
          hints: ['the file counts them too (isb_ifdrop); a smaller --snaplen lets the ring hold more packets'],
        });
      });
      const broken = sink.broken ? ` (then the reader went away: ${sink.broken})` : '';
      return { lost, summary: `${file.written} packet${file.written === 1 ? '' : 's'} captured to ${sink.name}${broken}` };
    },
  };
}
