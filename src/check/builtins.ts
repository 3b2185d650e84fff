// Builtin names and which probe contexts can read them.
import type { ContextKind } from '../probes/kind.js';
import { str, type Type, u32, u64 } from './types.js';

/** bpf_get_current_comm fills TASK_COMM_LEN bytes. */
export const COMM_SIZE = 16;

/** `direction` prints as the hook's name. */
const DIRECTION: Type = { kind: 'int', bits: 8, signed: false, show: 'enum', enum: { name: 'direction', names: { 0: 'ingress', 1: 'egress' } } };

export interface BuiltinValue {
  type: Type;
  contexts: ContextKind[] | 'all';
  doc: string;
}

/** Bare identifiers that are values. Header names (`ip`, `tcp`) are handled by the packet model. */
export const BUILTIN_VALUES: Record<string, BuiltinValue> = {
  ifindex: { type: u32, contexts: ['xdp', 'skb'], doc: 'index of the interface the packet is on' },
  rxq: { type: u32, contexts: ['xdp'], doc: 'receive queue index (xdp)' },
  mark: { type: u32, contexts: ['skb'], doc: 'the packet\'s firewall mark (skb->mark)' },
  direction: { type: DIRECTION, contexts: ['xdp', 'skb'], doc: 'ingress or egress: the hook the packet is seen at (xdp is always ingress)' },
  nsecs: { type: u64, contexts: 'all', doc: 'nanoseconds since boot (bpf_ktime_get_ns)' },
  cpu: { type: u32, contexts: 'all', doc: 'the CPU the program runs on' },
  // In xdp and tc programs the current task is whichever one the packet interrupted (or
  // the softirq thread): pid, tid and comm are then only as meaningful as that.
  pid: { type: u32, contexts: 'all', doc: 'process id (tgid) of the current task' },
  tid: { type: u32, contexts: 'all', doc: 'thread id of the current task' },
  comm: { type: str(COMM_SIZE), contexts: 'all', doc: 'name of the current task (16 bytes)' },
};

/** Aggregation functions: only valid as the whole right-hand side of a map assignment. */
export const AGGREGATIONS = ['count', 'sum', 'min', 'max', 'avg', 'stats', 'hist', 'lhist'] as const;

/** `pkt.*` fields, readable wherever there is a packet. */
export const PKT_FIELDS: Record<string, { type: Type; doc: string }> = {
  len: { type: u32, doc: 'bytes of packet data the hook sees (from the Ethernet header on)' },
};
