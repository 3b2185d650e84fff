// Which blocks become one BPF program. Each probe of each block is its own program,
// except that blocks on the same XDP interface share one: the kernel takes a single
// XDP program per interface, so `xdp:eth0 {A} xdp:eth0 {B}` runs A then B in one
// function. (tc hooks take many programs; each tc probe stays its own.)
import type { CheckedBlock } from '../model/checked.js';
import type { ProbeBlock } from '../model/ast.js';
import type { ResolvedProbe } from '../model/probe.js';

export interface ProgramUnit {
  /** The first probe of the unit: its context, section and attachment stand for all. */
  probe: ResolvedProbe;
  /** In source order; each keeps its own predicate and variables. */
  blocks: ProbeBlock[];
}

export function programUnits(blocks: CheckedBlock[]): ProgramUnit[] {
  const units: ProgramUnit[] = [];
  const xdpByInterface = new Map<string, ProgramUnit>();
  for (const { block, probes } of blocks) {
    for (const probe of probes) {
      const shared = probe.attach.kind === 'xdp' ? xdpByInterface.get(probe.attach.ifname) : undefined;
      if (shared) {
        if (!shared.blocks.includes(block)) shared.blocks.push(block);
        continue;
      }
      const unit = { probe, blocks: [block] };
      units.push(unit);
      if (probe.attach.kind === 'xdp') xdpByInterface.set(probe.attach.ifname, unit);
    }
  }
  return units;
}
