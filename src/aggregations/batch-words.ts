// The 8-byte words of a batch lookup's per-CPU values, read in place as plain numbers.
// Printing a big map at exit sums millions of words over the CPUs (a hist() key has 66
// buckets); reading them through one Uint32Array view of the whole buffer makes no
// object per key, per slot or per word. Counts below 2^53 are exact as numbers; a caller
// that meets a bigger one goes back to the bigint merge (slot.ts).

/** A word whose high half reaches this is 2^53 or more (2^53 / 2^32). */
const HIGH_LIMIT = 0x200000;

export class PerCpuWords {
  private readonly halves: Uint32Array;
  private readonly entryHalves: number;
  private readonly slotHalves: number;

  /**
   * `values` holds each entry's value, `stride` bytes apart; within one, `cpus` slots of
   * `slotSize` bytes (1 slot for a map that is not per-CPU).
   */
  constructor(values: Buffer, private readonly cpus: number, slotSize: number, stride: number) {
    // A Buffer from the addon starts on an 8-byte boundary; a pooled one may not.
    const aligned = values.byteOffset % 4 === 0 ? values : Buffer.from(values);
    this.halves = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
    this.entryHalves = stride >>> 2;
    this.slotHalves = slotSize >>> 2;
  }

  /**
   * Unsigned words 0 .. count-1 of entry `i`, each summed over the CPUs, into `into`;
   * returns their total, or -1 when a word or the total is 2^53 or more.
   */
  sumInto(i: number, count: number, into: Float64Array): number {
    const { halves, cpus, slotHalves } = this;
    const base = i * this.entryHalves;
    into.fill(0, 0, count);
    for (let cpu = 0; cpu < cpus; cpu++) {
      const slot = base + cpu * slotHalves;
      for (let w = 0; w < count; w++) {
        const low = halves[slot + 2 * w];
        const high = halves[slot + 2 * w + 1];
        if ((low | high) === 0) continue;
        if (high >= HIGH_LIMIT) return -1;
        into[w] += high * 0x100000000 + low;
      }
    }
    let total = 0;
    for (let w = 0; w < count; w++) total += into[w];
    return Number.isSafeInteger(total) ? total : -1;
  }
}
