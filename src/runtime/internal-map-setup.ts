// Internal maps user space fills or reads for the program (src/model/compiled-program.ts):
// - `start`: the monotonic time the run starts, which `elapsed` counts from. Written when
//   the map is created, before any program is loaded or run. process.hrtime reads
//   CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns.
// - `kstacks`: the stacks kstack captured; printing a stack id reads its frames here.
import * as native from '../native/bpf.js';
import type { InternalMapRole } from '../model/compiled-program.js';
import { kernelStackFrames } from '../model/kernel-stacks.js';
import { kernelStackText, useKernelStackReader } from '../format/kernel-stacks.js';
import type { MapReading } from '../model/map-reading.js';
import type { IntType } from '../model/types.js';

export function prepareInternalMap(role: InternalMapRole, fd: number): void {
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
    useKernelStackReader(frames, (id) => {
      let stack = cache.get(id);
      if (!stack) {
        stack = readStack(fd, id, frames);
        if (stack) cache.set(id, stack);
      }
      return stack;
    });
  }
}

/** Reads now the stacks that map keys of these readings name, so they print after the map is gone. */
export function keepKernelStacks(readings: MapReading[]): void {
  for (const reading of readings) {
    const types = reading.map.key.fields.map((f) => f.type);
    const stackKeys = types.map((t, i) => (t.kind === 'int' && t.show === 'kstack' ? i : -1)).filter((i) => i >= 0);
    if (stackKeys.length === 0) continue;
    for (const entry of reading.entries) for (const i of stackKeys) kernelStackText(entry.keyValues[i] as bigint, (types[i] as IntType).stackFrames, 0);
  }
}

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
