// Internal maps user space fills or reads for the program (src/model/compiled-program.ts):
// - `start`: the monotonic time the run starts, which `elapsed` counts from. Written when
//   the map is created, before any program is loaded or run. process.hrtime reads
//   CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns.
// - `kstacks`: the stacks kstack captured; printing a stack id reads its frames here.
import * as native from '../native/bpf.js';
import type { CompiledProgram, InternalMapRole } from '../model/compiled-program.js';
import { KERNEL_STACK_FRAMES, kernelStackFrames } from '../model/kernel-stacks.js';
import { kernelStackText, useKernelStackReader } from '../format/kernel-stacks.js';
import type { MapReading } from '../model/map-reading.js';
import type { IntType, Type } from '../model/types.js';
import type { StructLayout } from '../model/layout.js';

/**
 * Fills or hooks up one internal map. Returns what to call when the session closes the
 * map's fd: from then on the kstack reader answers only from what it has read (the fd's
 * number may be reused by another program's map).
 */
export function prepareInternalMap(role: InternalMapRole, fd: number, compiled: CompiledProgram): () => void {
  if (role === 'start') {
    const now = Buffer.alloc(8);
    now.writeBigUInt64LE(process.hrtime.bigint());
    native.mapUpdate(fd, Buffer.alloc(4), now);
  }
  const frames = kernelStackFrames(role);
  if (frames !== undefined) {
    // A stored stack never changes (a new stack that hashes to a used id is refused, not
    // stored over it), so what was read once is kept: a reading printed after the session
    // closed the map (the end-of-run print-out) still has its frames (keepKernelStacks).
    const cache = new Map<number, bigint[]>();
    let open = true;
    useKernelStackReader(kernelStackTypes(compiled, frames), (id) => {
      let stack = cache.get(id);
      if (!stack && open) {
        stack = readStack(fd, id, frames);
        if (stack) cache.set(id, stack);
      }
      return stack;
    });
    return () => (open = false);
  }
  return () => {};
}

/** Reads now the stacks that these readings' keys and values name, so they print after the map is gone. */
export function keepKernelStacks(readings: MapReading[]): void {
  for (const reading of readings) {
    const keyTypes = reading.map.key.fields.map((f) => f.type);
    const valueType = reading.map.valueLayout?.fields[0]?.type;
    if (!keyTypes.some(isKernelStack) && !isKernelStack(valueType)) continue;
    for (const entry of reading.entries) {
      for (const [i, t] of keyTypes.entries()) if (isKernelStack(t)) kernelStackText(entry.keyValues[i] as bigint, t, 0);
      if (isKernelStack(valueType) && entry.scalar !== undefined) kernelStackText(entry.scalar as bigint, valueType, 0);
    }
  }
}

/**
 * The kstack types whose ids are stacks of the map keeping `frames` frames: wherever the
 * program's maps (keys, values) and printf arguments hold one.
 */
function kernelStackTypes(compiled: CompiledProgram, frames: number): IntType[] {
  const fieldTypes = (layout: StructLayout | undefined) => layout?.fields.map((f) => f.type) ?? [];
  const types = [
    ...compiled.maps.flatMap((m) => [...fieldTypes(m.key), ...fieldTypes(m.valueLayout), ...(m.value.kind === 'scalar' ? [m.value.type] : [])]),
    ...compiled.printfs.flatMap((p) => fieldTypes(p.args)),
  ];
  return types.filter((t): t is IntType => isKernelStack(t) && (t.stackFrames ?? KERNEL_STACK_FRAMES) === frames);
}

const isKernelStack = (t: Type | undefined): t is IntType => t?.kind === 'int' && t.show === 'kstack';

/** The frames of stack `id`, innermost first; the map ends a shorter stack with zeros. */
function readStack(fd: number, id: number, depth: number): bigint[] | undefined {
  const key = Buffer.alloc(4);
  key.writeUInt32LE(id);
  let value: Buffer | null;
  try {
    value = native.mapLookup(fd, key, depth * 8);
  } catch {
    // The session closed the map: the stack can no longer be read.
    return undefined;
  }
  if (!value) return undefined;
  const frames: bigint[] = [];
  for (let i = 0; i < depth; i++) {
    const address = value.readBigUInt64LE(i * 8);
    if (address === 0n) break;
    frames.push(address);
  }
  return frames;
}
