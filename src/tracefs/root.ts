// Where tracefs is, mounting it when it is missing. tracefs is not mounted at boot on
// every machine (this one included), and `ip netns exec` remounts /sys, hiding it.
import { childProcess } from '../util/child-process.js';
import { existsSync, readFileSync } from 'node:fs';

const ROOTS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

let cached: string | null | undefined;

/**
 * The tracefs directory that has `events/`, or undefined when there is none and it
 * cannot be mounted (no privileges, or a kernel without tracefs). Mounts it at
 * /sys/kernel/tracing when needed, as the native addon does before attaching.
 */
export function tracefsRoot(): string | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = ROOTS.find(hasEvents) ?? mountTracefs() ?? null;
  return cached ?? undefined;
}

/**
 * Why tracefs cannot be read, for a hint: mounted but unreadable to this user (the
 * directory is root's, mode 0700), or not mounted and not mountable.
 */
export function tracefsProblem(mounts = readMounts(), root = process.getuid?.() === 0): string {
  const mounted = ROOTS.find((r) => mounts.some((m) => m.type === 'tracefs' && m.point === r));
  if (mounted && !hasEvents(mounted)) {
    return root
      ? `tracefs is mounted at ${mounted} but its events/ cannot be read`
      : `tracefs is mounted at ${mounted} but this user cannot read it: tracepoints need root (or CAP_PERFMON and read access to ${mounted}); run sudo nettrace ...`;
  }
  return root
    ? 'tracefs is not mounted at /sys/kernel/tracing and mounting it failed (a kernel without tracefs?)'
    : 'tracefs is not mounted at /sys/kernel/tracing, and mounting it needs root (CAP_SYS_ADMIN): run sudo nettrace ..., or mount -t tracefs nodev /sys/kernel/tracing as root';
}

function readMounts(): { point: string; type: string }[] {
  try {
    return readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .map(([, point = '', type = '']) => ({ point, type }));
  } catch {
    return [];
  }
}

function hasEvents(root: string): boolean {
  return existsSync(`${root}/events`);
}

function mountTracefs(): string | undefined {
  const root = ROOTS[0];
  try {
    // Node has no mount(2); mount(8) from util-linux is on every system nettrace runs on.
    childProcess().execFileSync('mount', ['-t', 'tracefs', 'nodev', root], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return hasEvents(root) ? root : undefined;
}
