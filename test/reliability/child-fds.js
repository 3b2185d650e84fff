// What kind of BPF objects a process holds right now, read from /proc/PID/fd: tells the
// signal tests (and the bench's 50-run version) which phase a nettrace run is in (maps
// created = loading, a program loaded = attaching) so that they can kill it exactly there.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** @returns {{ maps: number, progs: number, links: number }} */
export function bpfFds(pid) {
  const held = { maps: 0, progs: 0, links: 0 };
  let fds = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return held;
  }
  for (const fd of fds) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target === 'anon_inode:bpf-map') held.maps++;
    else if (target === 'anon_inode:bpf-prog') held.progs++;
    else if (target === 'anon_inode:bpf_link') held.links++;
  }
  return held;
}

function alive(pid) {
  try {
    // A zombie (exited, not yet reaped) has state Z: it holds nothing any more.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Spins (synchronously, so no moment is missed to the event loop) until `until` holds for
 * the process's BPF fds, the process ends, or timeoutMs passes. Returns the fds seen last,
 * or undefined when the moment never came.
 * @param {number} pid
 * @param {(fds: { maps: number, progs: number, links: number }) => boolean} until
 * @param {number} timeoutMs
 */
export function spinUntil(pid, until, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const fds = bpfFds(pid);
    if (until(fds)) return fds;
    if (!alive(pid)) return undefined;
  }
  return undefined;
}
