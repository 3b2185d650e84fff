// kstack values print as bpftrace prints them: a stack id of the program's stack map
// (src/codegen/stack-trace.ts) is looked up in that map when it is printed, and each
// frame is the kernel symbol it lies in plus the offset (`tcp_v4_rcv+1520`, decimal),
// one per line. printf's %s and print() indent frames by 8 spaces after a newline; a
// map key by 4, between `@m[` and `]` on lines of their own (kernelStackText's `indent`).
//
// The map belongs to the running session, so the runtime tells this module how to read
// it (useKernelStackReader) when a program with kstack starts. Readers are found by the
// kstack types of the program's own maps and printf arguments: every compile makes its
// own type objects, so two programs running at once (the REPL) each read their own map.
import type { IntType } from '../model/types.js';
import { kernelSymbolAt } from '../util/kallsyms.js';

/** The addresses of stack `id`, innermost first, or undefined when the map has no such id. */
export type KernelStackReader = (id: number) => bigint[] | undefined;

const readers = new WeakMap<IntType, KernelStackReader>();

/** Stack ids of these kstack types (one program's) are read with `read`. */
export function useKernelStackReader(types: IntType[], read: KernelStackReader): void {
  for (const type of types) readers.set(type, read);
}

/** One frame: `symbol+offset`, or the address in hex when no symbol holds it. */
export function kernelFrameText(address: bigint): string {
  const place = kernelSymbolAt(address);
  return place ? `${place.name}+${place.offset}` : `0x${address.toString(16)}`;
}

/**
 * The text of stack `id` of a kstack type: a newline, then each frame on a line of its
 * own, indented. A failed capture (a negative id: bpf_get_stackid's error) prints as no frames.
 */
export function kernelStackText(id: bigint, type: IntType, indent: number): string {
  const signed = BigInt.asIntN(64, id);
  const frames = signed < 0n ? [] : (readers.get(type)?.(Number(signed)) ?? []);
  const shown = type.stackFrames === undefined ? frames : frames.slice(0, type.stackFrames);
  return `\n${shown.map((a) => `${' '.repeat(indent)}${kernelFrameText(a)}\n`).join('')}`;
}
