// uid and gid: the current task's user and group, as bpftrace's uid and gid. The kernel
// gives them as seen from the initial user namespace (bpf_get_current_uid_gid), so a
// container's root shows as whatever uid it maps to on the host.
import { BPF_FUNC } from '../model/uapi.js';
import { helperHalf } from './helper-halves.js';
import type { ValueBuiltin } from './builtin.js';

export const uidBuiltin = helperHalf('uid', 'user id of the current task', BPF_FUNC.get_current_uid_gid, 'lower');
/** username: uid, printed as its name from /etc/passwd (bpftrace's username). */
export const usernameBuiltin: ValueBuiltin = {
  ...helperHalf('username', 'user name of the current task, from /etc/passwd (a uid with no entry prints as its number)', BPF_FUNC.get_current_uid_gid, 'lower'),
  type: { kind: 'int', bits: 32, signed: false, show: 'username' },
};
export const gidBuiltin = helperHalf('gid', 'group id of the current task', BPF_FUNC.get_current_uid_gid, 'upper');
