// Each entry's non-empty histogram buckets, summed over the CPUs, in a few typed arrays.
// Printing a big hist() map reads the kernel's batch twice: once in the kernel's order
// to total each key (the print order sorts by total), once in print order to write the
// lines. The second pass in another order made every key a cache miss in tens of MB of
// per-CPU words (a 63,000-key map is 67 MB on 2 CPUs); keeping only the non-empty buckets
// from the first pass (most keys of a big map hold one or two) leaves a few hundred KB
// to revisit.

export class SparseBuckets {
  /** Entry i's buckets are at positions start[i] .. start[i + 1] - 1. */
  private readonly start: Uint32Array;
  private bucket: Int32Array;
  private count: Float64Array;
  private used = 0;

  constructor(entries: number) {
    this.start = new Uint32Array(entries + 1);
    this.bucket = new Int32Array(Math.max(16, entries * 2));
    this.count = new Float64Array(this.bucket.length);
  }

  /** Entry `i`'s buckets (`counts`, one per bucket); entries must come in order 0, 1, 2... */
  add(i: number, counts: Float64Array, buckets: number): void {
    for (let b = 0; b < buckets; b++) {
      if (counts[b] === 0) continue;
      if (this.used === this.bucket.length) this.grow();
      this.bucket[this.used] = b;
      this.count[this.used++] = counts[b];
    }
    this.start[i + 1] = this.used;
  }

  /** Writes entry `i`'s counts into `counts`, which must be all zeros; clear() undoes it. */
  fill(i: number, counts: Float64Array): void {
    for (let j = this.start[i]; j < this.start[i + 1]; j++) counts[this.bucket[j]] = this.count[j];
  }

  /** Zeroes in `counts` what fill(i) wrote. */
  clear(i: number, counts: Float64Array): void {
    for (let j = this.start[i]; j < this.start[i + 1]; j++) counts[this.bucket[j]] = 0;
  }

  private grow(): void {
    const bucket = new Int32Array(this.bucket.length * 2);
    bucket.set(this.bucket);
    const count = new Float64Array(this.count.length * 2);
    count.set(this.count);
    this.bucket = bucket;
    this.count = count;
  }
}
