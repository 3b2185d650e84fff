// elapsed: nanoseconds since the run started, as bpftrace's elapsed. The start is the
// monotonic time the runtime writes into the program's `start` map before anything runs,
// so a compiled program taken from the cache still counts from its own run's start.
import { BPF_FUNC } from '../model/uapi.js';
import { u64 } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

export const elapsedBuiltin: ValueBuiltin = {
  name: 'elapsed',
  type: u64,
  contexts: 'all',
  doc: 'nanoseconds since nettrace started the run',
  emit(f) {
    const { m } = f;
    const now = m.callHelper(BPF_FUNC.ktime_get_ns, m.i64, [], []);
    return m.b.CreateSub(now, f.runWord('start'));
  },
};
