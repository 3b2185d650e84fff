// Code generation: one BPF function per probe (blocks on one XDP interface share one:
// program-units.ts), all in one LLVM module, printed as IR text for the native addon to
// optimise and emit.
import type { CheckedProgram, MapInfo } from '../model/checked.js';
import { BpfModule } from './bpf-module.js';
import { BPF_MAP_TYPE } from '../model/uapi.js';
import type { GeneratedCode, MapDescription, ProgramDescription } from '../model/compiled-program.js';
import { FunctionContext } from './function-context.js';
import { layoutStruct } from '../model/layout.js';
import { emitPacketPrologue } from './packet.js';
import { blocksUseInner, emitTunnelPrologue } from './tunnel.js';
import { StmtEmitter } from './stmt.js';
import { ProgramOutputs } from './program-outputs.js';
import { aggregation } from '../aggregations/registry.js';
import { actionsIn } from '../check/actions.js';
import { programUnits, type ProgramUnit } from './program-units.js';
import { BARRIER_MIN_BLOCKS, emitPacketStateBarrier } from './packet-state-barrier.js';
import { compileFilter } from './pcap/filter.js';
import { keylessArrayShape } from '../model/keyless-array.js';

const DEFAULT_MAP_ENTRIES = 10240;


export interface GenerateOptions {
  /** -F: a pcap-filter expression every packet probe tests before its blocks run. */
  filter?: string;
  /** --snaplen: the most bytes capture() copies of one packet. */
  snaplen?: number;
  /** -k: report every map update the kernel refuses, as it happens (codegen/map-full.ts). */
  reportHelperErrors?: boolean;
}

export function generate(checked: CheckedProgram, options: GenerateOptions = {}): GeneratedCode {
  // A refused -F filter is reported even when no probe of the program sees packets.
  if (options.filter !== undefined) compileFilter(options.filter, undefined);
  const maps = describeMaps(checked.maps);
  const largestSlot = Math.max(0, ...[...maps.values()].filter((d) => d.perCpu).map((d) => d.valueSize));
  const outputs = new ProgramOutputs(maps.size, largestSlot);
  if (options.snaplen !== undefined) outputs.snaplen = options.snaplen;
  if (options.reportHelperErrors) outputs.helperErrorSites = [];
  const m = new BpfModule('nettrace');
  const programs: ProgramDescription[] = [];
  for (const unit of programUnits(checked.blocks)) {
    const functionName = `prog${programs.length}`;
    emitProgram(m, functionName, unit, checked, maps, outputs, options.filter);
    const actions = unit.blocks.flatMap((b) => actionsIn(b.body));
    programs.push({ functionName, section: `${unit.probe.section}/${functionName}`, probe: unit.probe, actions });
  }
  if (!m.verify()) throw new Error('internal: generated LLVM IR does not verify');
  const captures = outputs.captures.length > 0 ? { captures: outputs.captures, snaplen: outputs.snaplen } : {};
  const refusals = outputs.helperErrorSites ? { helperErrorSites: outputs.helperErrorSites } : {};
  return { ir: m.print(), maps: [...maps.values()], internalMaps: outputs.internalMaps(), printfs: outputs.printfs, programs, ...captures, ...refusals };
}

function describeMaps(infos: Map<string, MapInfo>): Map<string, MapDescription> {
  const out = new Map<string, MapDescription>();
  let index = 0;
  for (const [name, info] of infos) {
    const common = { index: index++, displayName: info.displayName, key: layoutStruct(info.keyTypes), maxEntries: DEFAULT_MAP_ENTRIES, value: info.value };
    if (info.value.kind === 'agg') {
      // Aggregations: per-CPU slots, updated without atomics and merged when read.
      const slot = aggregation(info.value.agg).slotSize(info.value);
      // No keys: a one-entry per-CPU array, whose lookup the verifier inlines (keyless-array.ts).
      if (info.keyTypes.length === 0) out.set(name, { ...common, ...keylessArrayShape(slot) });
      else out.set(name, { ...common, bpfType: BPF_MAP_TYPE.PERCPU_HASH, perCpu: true, valueSize: slot });
    } else {
      const valueLayout = layoutStruct([info.value.type]);
      out.set(name, { ...common, bpfType: BPF_MAP_TYPE.HASH, perCpu: false, valueSize: valueLayout.size, valueLayout });
    }
  }
  return out;
}

function emitProgram(
  m: BpfModule,
  name: string,
  { probe, blocks }: ProgramUnit,
  checked: CheckedProgram,
  maps: Map<string, MapDescription>,
  outputs: ProgramOutputs,
  filter: string | undefined,
): void {
  const fn = m.newFunction(name);
  const allocas = m.block(fn, 'entry');
  const body = m.block(fn, 'body');
  const exit = m.block(fn, 'exit');
  m.b.SetInsertPoint(allocas);
  m.b.CreateBr(body);

  const f = new FunctionContext(m, fn, probe.context, allocas, exit, checked, maps);
  f.outputs = outputs;
  m.b.SetInsertPoint(body);
  f.returnSlot = f.alloca(m.i32, 'ret');
  // A packet probe lets the packet go on unless an action says otherwise.
  f.probe = probe;
  m.b.CreateStore(m.intConst(m.i32, probe.verdicts?.pass ?? 0), f.returnSlot);
  if (probe.context === 'xdp' || probe.context === 'skb') {
    const usesInner = blocksUseInner(blocks);
    const manyBlocks = blocks.length >= BARRIER_MIN_BLOCKS;
    // Both put the prologue's state through a packet-state barrier.
    f.packet = emitPacketPrologue(f, probe.context, manyBlocks || usesInner);
    // inner.*: the packet behind a VXLAN, Geneve or GRE header, parsed only when read.
    if (usesInner) emitTunnelPrologue(f);
    // -F: a packet the filter does not match runs none of the blocks.
    if (filter !== undefined) {
      const matched = f.newBlock('run_filter_matched');
      m.b.CreateCondBr(f.pcapFilter(filter), matched, exit);
      m.b.SetInsertPoint(matched);
    }
    // Many blocks: one verifier path out of the prologue, not one per parse path.
    if (manyBlocks) f.packet = emitPacketStateBarrier(f, f.packet, probe.context);
  }

  const statements = new StmtEmitter(f);
  for (const block of blocks) {
    // Blocks sharing a program (programUnits) run in order; a false predicate skips to
    // the next block, an action leaves the program.
    const blockDone = f.newBlock('block_done');
    f.vars.clear(); // each block has its own $variables, as the checker gave it
    if (block.predicate) {
      const run = f.newBlock('predicate_true');
      m.b.CreateCondBr(statements.expressions.condition(block.predicate, blockDone), run, blockDone);
      m.b.SetInsertPoint(run);
    }
    statements.emitAll(block.body);
    m.b.CreateBr(blockDone);
    m.b.SetInsertPoint(blockDone);
  }
  m.b.CreateBr(exit);

  m.b.SetInsertPoint(exit);
  m.b.CreateRet(m.b.CreateLoad(m.i32, f.returnSlot));
}
