// LLVM's BPF backend through nettrace_emit.node: IR text to a BPF object, and its
// disassembler. Only the compiler needs this; running a compiled program does not load it.
import { nativeModule } from './errors.js';

export interface EmitOptions {
  /** 2 (default) runs LLVM's O2 pipeline; 0 the O0 one (always-inline still applies). */
  optLevel?: 0 | 2;
  /** BPF ISA level for codegen; default 'v3' (ALU32, 32-bit jumps). */
  cpu?: 'generic' | 'v1' | 'v2' | 'v3';
}

interface EmitAddon {
  emitObject(irText: string, sections: Record<string, string>, opts?: EmitOptions): Buffer;
  disassemble(obj: Buffer): string;
}

const emitter = nativeModule<EmitAddon>('nettrace_emit.node');

/**
 * LLVM's shared library, which nettrace_emit.node and llvm-bindings both link (setup
 * rebuilds llvm-bindings against it: scripts/llvm-bindings-shared.sh), by its soname.
 */
export const LLVM_LIBRARY = 'libLLVM-14.so.1';

/**
 * Compiles LLVM IR text (LLVM 14, typed pointers) to a BPF ELF object. `sections` maps
 * each program function to its ELF section; all other functions are inlined away.
 * Throws INVALID_IR for IR that does not parse or verify, or that the BPF backend
 * cannot lower (the addon rejects such IR before LLVM could abort the process).
 */
export function emitObject(
  irText: string,
  sections: Record<string, string>,
  opts?: EmitOptions,
): Buffer {
  return emitter.call((n) => n.emitObject(irText, sections, opts));
}

/** BPF instructions of each code section, one numbered line per instruction. */
export function disassemble(obj: Buffer): string {
  return emitter.call((n) => n.disassemble(obj));
}
