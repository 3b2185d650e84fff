// Builtin names and which probe contexts can read them.
import type { ContextKind } from '../probes/kind.js';
import { type Type, u32, u64 } from './types.js';

export interface BuiltinValue {
  type: Type;
  contexts: ContextKind[] | 'all';
  doc: string;
}

/** Bare identifiers that are values. Header names (`ip`, `tcp`) are handled by the packet model. */
export const BUILTIN_VALUES: Record<string, BuiltinValue> = {
  ifindex: { type: u32, contexts: ['xdp', 'skb'], doc: 'index of the interface the packet is on' },
  rxq: { type: u32, contexts: ['xdp'], doc: 'receive queue index (xdp)' },
  nsecs: { type: u64, contexts: 'all', doc: 'nanoseconds since boot (bpf_ktime_get_ns)' },
  cpu: { type: u32, contexts: 'all', doc: 'the CPU the program runs on' },
};

/** Aggregation functions: only valid as the whole right-hand side of a map assignment. */
export const AGGREGATIONS = ['count', 'sum', 'min', 'max', 'avg', 'stats', 'hist', 'lhist'] as const;

/** `pkt.*` fields, readable wherever there is a packet. */
export const PKT_FIELDS: Record<string, { type: Type; doc: string }> = {
  len: { type: u32, doc: 'bytes of packet data the hook sees (from the Ethernet header on)' },
};
