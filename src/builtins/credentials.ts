// uid and gid: the current task's user and group, as bpftrace's uid and gid. The kernel
// gives them as seen from the initial user namespace (bpf_get_current_uid_gid), so a
// container's root shows as whatever uid it maps to on the host.
import { BPF_FUNC } from '../model/uapi.js';
import { helperHalf } from './helper-halves.js';

export const uidBuiltin = helperHalf('uid', 'user id of the current task', BPF_FUNC.get_current_uid_gid, 'lower');
export const gidBuiltin = helperHalf('gid', 'group id of the current task', BPF_FUNC.get_current_uid_gid, 'upper');
