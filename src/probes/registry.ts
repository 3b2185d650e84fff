// Every probe kind nettrace knows, looked up by the provider name the user wrote.
import type { ProbeKind } from './kind.js';
import { xdpProbe } from './xdp.js';

export const PROBE_KINDS: ProbeKind[] = [xdpProbe];

export function findProbeKind(provider: string): ProbeKind | undefined {
  return PROBE_KINDS.find((k) => k.name === provider || k.aliases.includes(provider));
}

export function probeKindNames(): string[] {
  return PROBE_KINDS.flatMap((k) => [k.name, ...k.aliases]);
}
