// What the functions of one program share beyond the user's maps: the internal maps
// (created on first use, numbered after the user's maps) and the printf call sites.
import { STATUS_VALUE_SIZE, DEFAULT_RING_BUFFER_BYTES } from '../model/event-records.js';
import { BPF_MAP_TYPE } from '../model/uapi.js';
import type { InternalMapDescription, InternalMapRole, PrintfDescription } from '../model/compiled-program.js';
import type { StructLayout } from '../model/layout.js';

export class ProgramOutputs {
  readonly printfs: PrintfDescription[] = [];
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
      map = { index: this.nextIndex++, role, ...SHAPES[role](this.zeroSize, this.userMaps) };
      this.internal.set(role, map);
    }
    return map;
  }

  addPrintf(format: string, args: StructLayout, probe: string): PrintfDescription {
    const p = { id: this.printfs.length, format, args, probe };
    this.printfs.push(p);
    return p;
  }

  internalMaps(): InternalMapDescription[] {
    return [...this.internal.values()].sort((a, b) => a.index - b.index);
  }
}

type Shape = Omit<InternalMapDescription, 'index' | 'role'>;

const SHAPES: Record<InternalMapRole, (zeroSize: number, userMaps: number) => Shape> = {
  events: () => ({ bpfType: BPF_MAP_TYPE.RINGBUF, keySize: 0, valueSize: 0, maxEntries: DEFAULT_RING_BUFFER_BYTES }),
  status: () => ({ bpfType: BPF_MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: STATUS_VALUE_SIZE, maxEntries: 1 }),
  zero: (zeroSize) => ({ bpfType: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: Math.max(8, zeroSize), maxEntries: 1 }),
  full: (_zeroSize, userMaps) => ({ bpfType: BPF_MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: Math.max(1, userMaps) }),
};
