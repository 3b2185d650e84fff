// Code generation: one BPF function per probe, all in one LLVM module, printed as IR
// text for the native addon to optimise and emit.
import type { CheckedProgram, MapInfo } from '../check/checked.js';
import type { ResolvedProbe } from '../probes/kind.js';
import { BpfModule } from './bpf-module.js';
import { BPF_MAP_TYPE, type GeneratedCode, type MapDescription, type ProgramDescription } from './described.js';
import { FunctionContext } from './function-context.js';
import { layoutStruct } from './layout.js';
import { emitPacketPrologue } from './packet.js';
import { StmtEmitter } from './stmt.js';
import type { CheckedBlock } from '../check/checked.js';

export const DEFAULT_MAP_ENTRIES = 10240;

/** What a packet program returns when no action says otherwise: let the packet go on. */
const DEFAULT_RETURN: Record<string, number> = { xdp: 2 /* XDP_PASS */, tc: -1 /* TCX_NEXT */ };

export function generate(checked: CheckedProgram): GeneratedCode {
  const maps = describeMaps(checked.maps);
  const m = new BpfModule('nettrace');
  const programs: ProgramDescription[] = [];
  for (const block of checked.blocks) {
    for (const probe of block.probes) {
      const functionName = `prog${programs.length}`;
      emitProgram(m, functionName, probe, block, checked, maps);
      programs.push({ functionName, section: `${probe.section}/${functionName}`, probe });
    }
  }
  if (!m.verify()) throw new Error('internal: generated LLVM IR does not verify');
  return { ir: m.print(), maps: [...maps.values()], programs };
}

function describeMaps(infos: Map<string, MapInfo>): Map<string, MapDescription> {
  const out = new Map<string, MapDescription>();
  let index = 0;
  for (const [name, info] of infos) {
    if (info.value.kind !== 'agg') throw new Error(`internal: scalar maps are not generated yet (${info.displayName})`);
    out.set(name, {
      index: index++,
      displayName: info.displayName,
      bpfType: BPF_MAP_TYPE.PERCPU_HASH,
      perCpu: true,
      key: layoutStruct(info.keyTypes),
      valueSize: 8,
      maxEntries: DEFAULT_MAP_ENTRIES,
      value: info.value,
    });
  }
  return out;
}

function emitProgram(
  m: BpfModule,
  name: string,
  probe: ResolvedProbe,
  { block }: CheckedBlock,
  checked: CheckedProgram,
  maps: Map<string, MapDescription>,
): void {
  const fn = m.newFunction(name);
  const allocas = m.block(fn, 'entry');
  const body = m.block(fn, 'body');
  const exit = m.block(fn, 'exit');
  m.b.SetInsertPoint(allocas);
  m.b.CreateBr(body);

  const f = new FunctionContext(m, fn, probe.context, allocas, exit, checked, maps);
  m.b.SetInsertPoint(body);
  f.returnSlot = f.alloca(m.i32, 'ret');
  m.b.CreateStore(m.intConst(m.i32, DEFAULT_RETURN[probe.kindName] ?? 0), f.returnSlot);
  if (probe.context === 'xdp' || probe.context === 'skb') f.packet = emitPacketPrologue(f, probe.context);

  const statements = new StmtEmitter(f);
  if (block.predicate) {
    const run = f.newBlock('predicate_true');
    m.b.CreateCondBr(statements.expressions.condition(block.predicate, exit), run, exit);
    m.b.SetInsertPoint(run);
  }
  statements.emitAll(block.body);
  m.b.CreateBr(exit);

  m.b.SetInsertPoint(exit);
  m.b.CreateRet(m.b.CreateLoad(m.i32, f.returnSlot));
}
