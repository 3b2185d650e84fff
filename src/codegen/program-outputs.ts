// What the functions of one program share beyond the user's maps: the internal maps
// (created on first use, numbered after the user's maps) and the printf call sites.
import { STATUS_VALUE_SIZE, DEFAULT_RING_BUFFER_BYTES } from '../model/event-records.js';
import { kernelStackFrames, kernelStackShape } from '../model/kernel-stacks.js';
import { captureRingBytes, DEFAULT_SNAPLEN, type CaptureSite } from '../model/capture.js';
import { BPF_MAP_TYPE } from '../model/uapi.js';
import { refusalCountersSize } from '../model/refusal-counters.js';
import type { InternalMapDescription, InternalMapRole, PrintfDescription, HelperErrorSite } from '../model/compiled-program.js';
import type { StructLayout } from '../model/layout.js';
import { PARSED_STATE_BYTES } from './packet-state-barrier.js';

export class ProgramOutputs {
  readonly printfs: PrintfDescription[] = [];
  readonly captures: CaptureSite[] = [];
  /** --snaplen: the most bytes capture() copies of one packet. */
  snaplen = DEFAULT_SNAPLEN;
  /** -k: report each refused map update as it happens (codegen/map-full.ts), from these sites. */
  helperErrorSites?: HelperErrorSite[];
  private readonly internal = new Map<InternalMapRole, InternalMapDescription>();

  /**
   * @param nextIndex the map index after the user's maps
   * @param zeroSize the largest aggregation slot: the zero map's value size
   */
  /** The user's maps are numbered 0..userMaps-1, before any internal one. */
  private readonly userMaps: number;

  constructor(
    private nextIndex: number,
    private readonly zeroSize: number,
  ) {
    this.userMaps = nextIndex;
  }

  map(role: InternalMapRole): InternalMapDescription {
    let map = this.internal.get(role);
    if (!map) {
      const frames = kernelStackFrames(role);
      const shape = frames !== undefined ? kernelStackShape(frames) : SHAPES[role as FixedRole](this.zeroSize, this.userMaps);
      map = { index: this.nextIndex++, role, ...shape };
      if (role === 'capture') map.maxEntries = captureRingBytes(this.snaplen);
      this.internal.set(role, map);
    }
    return map;
  }

  addPrintf(format: string, args: StructLayout, probe: string): PrintfDescription {
    const p = { id: this.printfs.length, format, args, probe };
    this.printfs.push(p);
    return p;
  }

  addCapture(site: Omit<CaptureSite, 'id'>): CaptureSite {
    const c = { id: this.captures.length, ...site };
    this.captures.push(c);
    return c;
  }

  internalMaps(): InternalMapDescription[] {
    // One counter per capture() site, known only once every function is emitted.
    const lost = this.internal.get('captureLost');
    if (lost) lost.maxEntries = Math.max(1, this.captures.length);
    return [...this.internal.values()].sort((a, b) => a.index - b.index);
  }
}

type Shape = Omit<InternalMapDescription, 'index' | 'role'>;

/** Roles of one shape each; the stack maps (`kstacks`, `kstacksN`) are shaped by their frame count. */
type FixedRole = Exclude<InternalMapRole, 'kstacks' | `kstacks${number}`>;

const SHAPES: Record<FixedRole, (zeroSize: number, userMaps: number) => Shape> = {
  events: () => ({ bpfType: BPF_MAP_TYPE.RINGBUF, keySize: 0, valueSize: 0, maxEntries: DEFAULT_RING_BUFFER_BYTES }),
  status: () => ({ bpfType: BPF_MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: STATUS_VALUE_SIZE, maxEntries: 1 }),
  zero: (zeroSize) => ({ bpfType: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: Math.max(8, zeroSize), maxEntries: 1 }),
  full: (_zeroSize, userMaps) => ({ bpfType: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: refusalCountersSize(userMaps), maxEntries: 1 }),
  capture: () => ({ bpfType: BPF_MAP_TYPE.RINGBUF, keySize: 0, valueSize: 0, maxEntries: captureRingBytes(DEFAULT_SNAPLEN) }),
  captureLost: () => ({ bpfType: BPF_MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 }),
  start: () => ({ bpfType: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 }),
  /** cpid: the pid of -c's command, written by the runtime (builtins/child-pid.ts). */
  childPid: () => ({ bpfType: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 }),
  /** Scratch words of many-block packet programs (codegen/packet-state-barrier.ts). */
  parsed: () => ({ bpfType: BPF_MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: PARSED_STATE_BYTES, maxEntries: 1 }),
};
