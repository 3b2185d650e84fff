// cpid: the pid of the command -c runs, as bpftrace's cpid. It is not a constant in the
// code: the runtime writes it into the program's `childPid` map before anything runs
// (runtime/session.ts), so a compiled program taken from the cache serves every run of
// its command. Without -c the checker refuses it (check/child-pid.ts, NT0360).
import { u32 } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

export const cpidBuiltin: ValueBuiltin = {
  name: 'cpid',
  type: u32,
  contexts: 'all',
  doc: 'pid of the command `-c` runs (only with -c)',
  emit(f) {
    return f.runWord('childPid');
  },
};
