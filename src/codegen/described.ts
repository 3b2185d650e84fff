// The compiled program: ELF bytes plus the description the runtime needs to create maps,
// load and attach programs, and print results. Nothing here depends on the live kernel
// (no fds, no ifindexes), so it can be dumped, tested and cached without privileges.
import type { MapValue } from '../check/checked.js';
import type { ResolvedProbe } from '../probes/kind.js';
import type { StructLayout } from './layout.js';

export const BPF_MAP_TYPE = { HASH: 1, ARRAY: 2, PERCPU_HASH: 5, PERCPU_ARRAY: 6, RINGBUF: 27 } as const;

export interface MapDescription {
  /** The number codegen put in llvm.bpf.pseudo(1, index). */
  index: number;
  /** `@` or `@name`. */
  displayName: string;
  bpfType: number;
  perCpu: boolean;
  key: StructLayout;
  valueSize: number;
  maxEntries: number;
  value: MapValue;
}

export interface ProgramDescription {
  functionName: string;
  section: string;
  probe: ResolvedProbe;
}

export interface GeneratedCode {
  ir: string;
  maps: MapDescription[];
  programs: ProgramDescription[];
}

export interface CompiledProgram extends GeneratedCode {
  object: Buffer;
}
