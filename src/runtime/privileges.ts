// Which capabilities nettrace needs and which the process lacks, read from
// /proc/self/status so the answer names them instead of failing with EPERM later.
import { readFileSync } from 'node:fs';

const CAPABILITIES = { CAP_NET_ADMIN: 12, CAP_SYS_ADMIN: 21, CAP_PERFMON: 38, CAP_BPF: 39 } as const;
type CapName = keyof typeof CAPABILITIES;

function effectiveCapabilities(): bigint {
  const status = readFileSync('/proc/self/status', 'utf8');
  const line = status.split('\n').find((l) => l.startsWith('CapEff:'));
  return line ? BigInt('0x' + line.split(/\s+/)[1]) : 0n;
}

function has(caps: bigint, name: CapName): boolean {
  return (caps & (1n << BigInt(CAPABILITIES[name]))) !== 0n;
}

/**
 * The capabilities missing for loading BPF and attaching network probes. CAP_SYS_ADMIN
 * stands in for CAP_BPF and CAP_PERFMON on any kernel.
 */
export function missingCapabilities(caps = effectiveCapabilities(), needsNetwork = true): CapName[] {
  if (has(caps, 'CAP_SYS_ADMIN')) return needsNetwork && !has(caps, 'CAP_NET_ADMIN') ? ['CAP_NET_ADMIN'] : [];
  const wanted: CapName[] = ['CAP_BPF', 'CAP_PERFMON'];
  if (needsNetwork) wanted.push('CAP_NET_ADMIN');
  return wanted.filter((c) => !has(caps, c));
}
