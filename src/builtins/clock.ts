// nsecs: the kernel's monotonic clock, as bpftrace's nsecs.
import { BPF_FUNC } from '../model/uapi.js';
import { u64 } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

export const nsecsBuiltin: ValueBuiltin = {
  name: 'nsecs',
  type: u64,
  contexts: 'all',
  doc: 'nanoseconds since boot',
  emit: (f) => f.m.callHelper(BPF_FUNC.ktime_get_ns, f.m.i64, [], []),
};
