// pid, tid and comm: the current task. In xdp and tc programs that is whichever task the
// packet interrupted (or the softirq thread), so they are only as meaningful as that.
import { BPF_FUNC } from '../model/uapi.js';
import { str } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';
import { helperHalf } from './helper-halves.js';

/** bpf_get_current_comm fills TASK_COMM_LEN bytes. */
const COMM_SIZE = 16;

/** bpf_get_current_pid_tgid: the tgid, which user space calls the pid, is the upper half. */
export const pidBuiltin = helperHalf('pid', 'process id (tgid) of the current task', BPF_FUNC.get_current_pid_tgid, 'upper');
export const tidBuiltin = helperHalf('tid', 'thread id of the current task', BPF_FUNC.get_current_pid_tgid, 'lower');

export const commBuiltin: ValueBuiltin = {
  name: 'comm',
  type: str(COMM_SIZE),
  contexts: 'all',
  doc: 'name of the current task',
  emit(f) {
    const { m } = f;
    const buffer = f.zeroedBuffer(COMM_SIZE, 'comm');
    m.callHelper(BPF_FUNC.get_current_comm, m.i64, [m.i8p, m.i32], [buffer, m.intConst(m.i32, COMM_SIZE)]);
    return buffer;
  },
};
