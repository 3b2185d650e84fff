// The shape of the stack map kstack captures into, shared by codegen (which creates it)
// and the runtime (which reads it to print stacks): bpftrace's defaults.
import { BPF_MAP_TYPE } from './uapi.js';

/** Frames kept per stack: the kernel's default perf_event_max_stack. */
export const KERNEL_STACK_FRAMES = 127;
/** Distinct stacks the map holds; a capture past it fails and prints as no frames. */
export const KERNEL_STACK_ENTRIES = 4096;

/** The internal map of stacks of `frames` frames: `kstacks` for kstack, `kstacksN` for kstack(N). */
export function kernelStackRole(frames: number | undefined): 'kstacks' | `kstacks${number}` {
  return frames === undefined || frames === KERNEL_STACK_FRAMES ? 'kstacks' : `kstacks${frames}`;
}

/** The frames a stack map of this role keeps, or undefined when the role is no stack map. */
export function kernelStackFrames(role: string): number | undefined {
  const m = /^kstacks(\d*)$/.exec(role);
  if (!m) return undefined;
  return m[1] ? Number(m[1]) : KERNEL_STACK_FRAMES;
}

/** The shape of a stack map of this many frames. */
export function kernelStackShape(frames: number): { bpfType: number; keySize: number; valueSize: number; maxEntries: number } {
  return { bpfType: BPF_MAP_TYPE.STACK_TRACE, keySize: 4, valueSize: frames * 8, maxEntries: KERNEL_STACK_ENTRIES };
}
