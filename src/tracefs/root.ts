// Where tracefs is, mounting it when it is missing. tracefs is not mounted at boot on
// every machine (this one included), and `ip netns exec` remounts /sys, hiding it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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

function hasEvents(root: string): boolean {
  return existsSync(`${root}/events`);
}

function mountTracefs(): string | undefined {
  const root = ROOTS[0];
  try {
    // Node has no mount(2); mount(8) from util-linux is on every system nettrace runs on.
    execFileSync('mount', ['-t', 'tracefs', 'nodev', root], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return hasEvents(root) ? root : undefined;
}
