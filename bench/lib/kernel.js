// Kernel-side helpers of the bench: which BPF programs a process holds, the bpf stats
// sysctl (turned on for a measurement and put back as it was), tracepoint field offsets.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Ids of the BPF programs process `pid` holds fds to. */
export function progIdsOfPid(pid) {
  const ids = new Set();
  let fds = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return ids;
  }
  for (const fd of fds) {
    try {
      if (!readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('anon_inode:bpf')) continue;
      const m = /^prog_id:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (m) ids.add(Number(m[1]));
    } catch {
      // the fd closed meanwhile
    }
  }
  return ids;
}

const STATS = '/proc/sys/kernel/bpf_stats_enabled';

/** Runs fn with kernel.bpf_stats_enabled=1 and restores the previous value, whatever happens. */
export async function withBpfStats(fn) {
  const before = readFileSync(STATS, 'utf8').trim();
  execFileSync('sysctl', ['-qw', 'kernel.bpf_stats_enabled=1']);
  try {
    return await fn();
  } finally {
    execFileSync('sysctl', ['-qw', `kernel.bpf_stats_enabled=${before}`]);
  }
}

/** run_time_ns and run_cnt of the given program ids, as numbers. */
export function progStats(native, ids) {
  const wanted = new Set(ids);
  const out = new Map();
  for (const p of native.listKernelObjects('prog')) {
    if (wanted.has(p.id)) out.set(p.id, { runTimeNs: Number(p.runTimeNs), runCnt: Number(p.runCnt), xlatedInsns: p.xlatedLen / 8, name: p.name, type: p.type });
  }
  return out;
}

function tracefs() {
  if (!existsSync('/sys/kernel/tracing/events')) execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
  return '/sys/kernel/tracing';
}

/** Offsets of a tracepoint's fields in its context, from the format file. */
export function tracepointOffsets(category, name) {
  const text = readFileSync(`${tracefs()}/events/${category}/${name}/format`, 'utf8');
  const offsets = {};
  for (const m of text.matchAll(/field:[^;]*?(\w+)(?:\[\d*\])?;\s*offset:(\d+);\s*size:(\d+);/g)) offsets[m[1]] = { offset: Number(m[2]), size: Number(m[3]) };
  return offsets;
}
