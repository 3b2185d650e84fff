// The records programs write to the events ring buffer, shared by codegen (which writes
// them) and the runtime (which reads them), so both sides agree by construction.
//
// Every record starts with an 8-byte header: u32 kind, u32 index. What follows depends
// on the kind:
//   printf  index = the printf's id; then its arguments, laid out by layoutStruct
//   print   index = the map's index; then u64 top (0 = every entry)
//   clear   index = the map's index (clear(@m): delete every key)
//   zero    index = the map's index (zero(@m): keep the keys, zero the values)
//   exit    nothing more
//   helperError  index = the -k site (HelperErrorSite); then i64 the helper's return value
// print, clear and zero act in user space, in record order, so `print(@m); clear(@m)`
// prints before it clears, as in bpftrace.
export const RecordKind = { printf: 1, exit: 2, print: 3, clear: 4, zero: 5, helperError: 6 } as const;
export type RecordKindValue = (typeof RecordKind)[keyof typeof RecordKind];

export const RECORD_HEADER_SIZE = 8;

/** Events ring buffer size unless the user asks otherwise: 64 pages, as bpftrace. */
export const DEFAULT_RING_BUFFER_BYTES = 64 * 4096;

/**
 * The status map: a per-CPU array with one entry of two u64 words per CPU. Programs count
 * records the ring buffer refused (full) in `lost`, and exit() sets `exit`, so neither
 * depends on the ring buffer having room.
 */
export const StatusWord = { lost: 0, exit: 1 } as const;
export const STATUS_VALUE_SIZE = 16;

export interface RecordHeader {
  kind: number;
  index: number;
}

export function readHeader(record: Buffer): RecordHeader {
  return { kind: record.readUInt32LE(0), index: record.readUInt32LE(4) };
}
