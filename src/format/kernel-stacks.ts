// kstack values print as bpftrace prints them: a stack id of the program's stack map
// (src/codegen/stack-trace.ts) is looked up in that map when it is printed, and each
// frame is the kernel symbol it lies in plus the offset (`tcp_v4_rcv+1520`, decimal),
// one per line. printf's %s and print() indent frames by 8 spaces after a newline; a
// map key by 4, between `@m[` and `]` on lines of their own (kernelStackText's `indent`).
//
// The map belongs to the running session, so the runtime tells this module how to read
// it (useKernelStackReader) when a program with kstack starts.
import { kernelSymbolAt } from '../util/kallsyms.js';
import { KERNEL_STACK_FRAMES } from '../model/kernel-stacks.js';

/** The addresses of stack `id`, innermost first, or undefined when the map has no such id. */
export type KernelStackReader = (id: number) => bigint[] | undefined;

/** By the frames its map keeps (127 for kstack, N for kstack(N)): each has a map of its own. */
const readers = new Map<number, KernelStackReader>();

export function useKernelStackReader(frames: number, read: KernelStackReader | undefined): void {
  if (read) readers.set(frames, read);
  else readers.delete(frames);
}

/** One frame: `symbol+offset`, or the address in hex when no symbol holds it. */
export function kernelFrameText(address: bigint): string {
  const place = kernelSymbolAt(address);
  return place ? `${place.name}+${place.offset}` : `0x${address.toString(16)}`;
}

/**
 * The text of stack `id`: a newline, then each frame on a line of its own, indented.
 * A failed capture (a negative id: bpf_get_stackid's error) prints as no frames.
 */
export function kernelStackText(id: bigint, maxFrames: number | undefined, indent: number): string {
  const signed = BigInt.asIntN(64, id);
  const frames = signed < 0n ? [] : (readers.get(maxFrames ?? KERNEL_STACK_FRAMES)?.(Number(signed)) ?? []);
  const shown = maxFrames === undefined ? frames : frames.slice(0, maxFrames);
  return `\n${shown.map((a) => `${' '.repeat(indent)}${kernelFrameText(a)}\n`).join('')}`;
}
