// The `full` internal map's layout, which codegen adds to and the runtime reads: one
// entry (the program takes its value's address directly, which needs max_entries 1)
// holding a u64 count of refused updates per user map, at 8 × the map's index.

export const REFUSAL_COUNTER_BYTES = 8;

/** The value's size for a program with `userMaps` maps (one counter at least). */
export function refusalCountersSize(userMaps: number): number {
  return REFUSAL_COUNTER_BYTES * Math.max(1, userMaps);
}
