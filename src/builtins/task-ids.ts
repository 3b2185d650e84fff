// cgroup and curtask, as bpftrace has them: the current task's cgroup v2 id
// (bpf_get_current_cgroup_id, the inode number of its cgroup directory, what
// `stat -c %i /sys/fs/cgroup/...` prints) and the address of its struct task_struct
// (bpf_get_current_task). The kernel offers both helpers to tracing programs only.
import { BPF_FUNC } from '../model/uapi.js';
import { u64 } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

const TRACING = ['tracepoint', 'btf', 'kprobe'] as const;

export const cgroupBuiltin: ValueBuiltin = {
  name: 'cgroup',
  type: u64,
  contexts: [...TRACING],
  doc: 'cgroup v2 id of the current task (the inode number of its cgroup directory)',
  emit: (f) => f.m.callHelper(BPF_FUNC.get_current_cgroup_id, f.m.i64, [], []),
};

export const curtaskBuiltin: ValueBuiltin = {
  name: 'curtask',
  type: { ...u64, show: 'hex' },
  contexts: [...TRACING],
  doc: 'address of the current task\'s struct task_struct',
  emit: (f) => f.m.callHelper(BPF_FUNC.get_current_task, f.m.i64, [], []),
};
