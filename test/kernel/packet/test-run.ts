// Runs a nettrace program on hand-built packets with BPF_PROG_TEST_RUN: the real compiler,
// the real verifier, the real program, without attaching anything. Maps are read back
// as the CLI reads them, so assertions see the printed form of each value.
import { compile } from '../../../src/compile.js';
import type { KernelEnv } from '../../../src/model/kernel-env.js';
import { formatValue } from '../../../src/format/values.js';
import { readMap } from '../../../src/runtime/read-maps.js';
import * as native from '../../../src/native/bpf.js';
import { readRefusedUpdates } from '../../../src/runtime/map-full.js';

/** The checker only needs the interface to exist by name; nothing is attached. */
export const TEST_IFACE = 'testrun0';
const env: KernelEnv = { interfaces: () => [TEST_IFACE] };

export interface TestRunProgram {
  /** Runs every program of the source once on `frame`; returns their return values. */
  run(frame: Buffer): number[];
  /** Map name ("" for @) -> printed key -> count. */
  maps(): Map<string, Map<string, bigint>>;
  /** Map name -> the updates refused because it was full, as the CLI reports them (NT0507). */
  refused(): Map<string, bigint>;
  /** The kernel's ids of the loaded programs (for `bpftool prog run id N`). */
  programIds(): number[];
  close(): void;
}

/** `maxEntries` overrides every user map's size (as --map-entries does). */
export function loadForTestRun(source: string, { maxEntries }: { maxEntries?: number } = {}): TestRunProgram {
  const compiled = compile(source, env);
  const mapFds: number[] = [];
  const progFds: number[] = [];
  const close = () => {
    for (const fd of [...progFds, ...mapFds]) native.closeFd(fd);
  };
  try {
    // User maps and the program's internal ones (ring buffer, status, zero value), in
    // the index order codegen numbered them.
    const specs = [
      ...compiled.maps.map((m) => ({ index: m.index, type: m.bpfType, keySize: m.key.size, valueSize: m.valueSize, maxEntries: maxEntries ?? m.maxEntries })),
      ...compiled.internalMaps.map((m) => ({ index: m.index, type: m.bpfType, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries })),
    ].sort((a, b) => a.index - b.index);
    for (const spec of specs) mapFds.push(native.createMap({ ...spec, name: 'nt_testrun' }));
    for (const p of compiled.programs) {
      const loaded = native.loadProgram({
        obj: compiled.object,
        section: p.section,
        progType: p.probe.progType,
        expectedAttachType: p.probe.expectedAttachType,
        mapFds,
        name: p.functionName,
      });
      progFds.push(loaded.fd);
    }
  } catch (e) {
    close();
    const log = (e as { log?: string }).log;
    throw log ? new Error(`${(e as Error).message}\n${log.split('\n').slice(-30).join('\n')}`) : e;
  }
  return {
    // The kernel reports the return value as a u32; verdicts such as TCX_NEXT are negative.
    run: (frame) => progFds.map((fd) => native.progTestRun(fd, frame, 1).retval | 0),
    maps() {
      const out = new Map<string, Map<string, bigint>>();
      compiled.maps.forEach((map) => {
        const reading = readMap(map, mapFds[map.index]);
        const types = map.key.fields.map((f) => f.type);
        const entries = new Map(reading.entries.map((e) => [e.keyValues.map((v, k) => formatValue(types[k], v)).join(', '), e.value]));
        out.set(map.displayName.replace(/^@/, ''), entries);
      });
      return out;
    },
    refused() {
      const full = compiled.internalMaps.find((m) => m.role === 'full');
      const refused = full ? readRefusedUpdates(compiled.maps, mapFds[full.index]) : [];
      return new Map(refused.map((r) => [r.map.displayName.replace(/^@/, ''), r.refused]));
    },
    programIds: () => progFds.map((fd) => native.progInfo(fd).id),
    close,
  };
}
