// Everything one BPF function's emitters share: the module, the function, its context
// argument, where allocas go, the packet state, and the maps of the program.
import type { CheckedProgram } from '../model/checked.js';
import type { Type } from '../model/types.js';
import type { ContextKind, ResolvedProbe } from '../model/probe.js';
import type { BpfModule } from './bpf-module.js';
import type { MapDescription } from '../model/compiled-program.js';
import { loadArrayWord } from './array-slot.js';
import { withBoundedIndex } from './bounded.js';
import { emitPcapFilter } from './pcap/filter.js';
import type { SkbPointer } from './pcap/skb-pointer-view.js';
import type { Span } from '../model/ast.js';
import { llvm, type LLVM } from './llvm.js';
import type { PacketState } from './packet.js';
import type { ProgramOutputs } from './program-outputs.js';

export class FunctionContext {
  packet?: PacketState;
  readonly vars = new Map<string, { slot: LLVM.AllocaInst; type: Type }>();
  /** Value the function returns (XDP_PASS / TC_ACT_OK unless an action changes it). */
  returnSlot?: LLVM.AllocaInst;
  /** The probe this function is for: its verdicts (actions), its attach point (direction). */
  probe?: ResolvedProbe;
  /** Internal maps and printf sites, shared by every function of the program. */
  outputs!: ProgramOutputs;
  /** Where the statement being emitted is, as -k reports it (set by stmt.ts). */
  statementAt?: Span;

  constructor(
    readonly m: BpfModule,
    readonly fn: LLVM.Function,
    readonly probeContext: ContextKind,
    /** Holds only allocas and ends in a branch to the body: LLVM needs static stack slots. */
    readonly allocaBlock: LLVM.BasicBlock,
    readonly exit: LLVM.BasicBlock,
    readonly checked: CheckedProgram,
    readonly maps: Map<string, MapDescription>,
  ) {}

  get ctxArg(): LLVM.Value {
    return this.fn.getArg(0);
  }

  /** A stack slot in the entry block, whatever block is being emitted now. */
  alloca(type: LLVM.Type, name: string, zeroed = false): LLVM.AllocaInst {
    const { b } = this.m;
    const current = b.GetInsertBlock();
    const terminator = this.allocaBlock.getTerminator();
    if (terminator) b.SetInsertPoint(terminator);
    else b.SetInsertPoint(this.allocaBlock);
    const slot = b.CreateAlloca(type, null, name);
    // A slot read on a path that never wrote it would be rejected by the verifier.
    if (zeroed) b.CreateStore(llvm.Constant.getNullValue(type), slot);
    if (current) b.SetInsertPoint(current);
    return slot;
  }

  /** A byte buffer on the stack, zeroed at the point of use. */
  zeroedBuffer(size: number, name: string): LLVM.Value {
    const { m } = this;
    // An array of i64 gives the slot 8-byte alignment, which map keys and values want.
    const slot = this.alloca(m.arrayOfI64(Math.ceil(size / 8)), name);
    const ptr = m.b.CreateBitCast(slot, m.i8p);
    if (this.scratchScope) this.scratchScope.begin(slot, ptr, Math.ceil(size / 8) * 8);
    this.memset(ptr, size);
    return ptr;
  }

  /**
   * While a statement is emitted, the buffers zeroedBuffer() makes live only until the
   * statement ends: stmt.ts marks their lifetimes so LLVM can share their stack bytes
   * between statements (src/codegen/statement-scratch.ts).
   */
  scratchScope?: { begin(slot: LLVM.AllocaInst, ptr: LLVM.Value, bytes: number): void };

  memset(ptr: LLVM.Value, size: number): void {
    const { m } = this;
    const fn = m.intrinsic('llvm.memset.p0i8.i64', m.b.getVoidTy(), [m.i8p, m.i8, m.i64, m.i1]);
    m.b.CreateCall(fn, [ptr, m.intConst(m.i8, 0), m.i64Const(size), m.b.getFalse()]);
  }

  /**
   * Runs `body` with `index` when index <= maxIndex, in a form the verifier can follow
   * (bounded.ts). A method, so aggregations reach it through the context they are given.
   */
  withBoundedIndex(index: LLVM.Value, maxIndex: number, body: (index: LLVM.Value) => void): void {
    withBoundedIndex(this, index, maxIndex, body);
  }

  newBlock(name: string): LLVM.BasicBlock {
    return this.m.block(this.fn, name);
  }

  /** Pointer `base + offset` as i8*. */
  byteOffset(base: LLVM.Value, offset: LLVM.Value | number): LLVM.Value {
    const { m } = this;
    const off = typeof offset === 'number' ? m.i64Const(offset) : offset;
    return m.b.CreateGEP(m.i8, base, off);
  }

  /** Load an integer of `bits` at `ptr + offset`. */
  loadInt(ptr: LLVM.Value, offset: number | LLVM.Value, bits: number): LLVM.Value {
    const { m } = this;
    const t = m.intType(bits);
    const typed = m.b.CreateBitCast(this.byteOffset(ptr, offset), m.ptrTo(t));
    return m.b.CreateLoad(t, typed);
  }

  storeInt(ptr: LLVM.Value, offset: number, bits: number, value: LLVM.Value): void {
    const { m } = this;
    const t = m.intType(bits);
    const typed = m.b.CreateBitCast(this.byteOffset(ptr, offset), m.ptrTo(t));
    m.b.CreateStore(m.b.CreateZExtOrTrunc(value, t), typed);
  }

  /**
   * The word the runtime writes into a one-slot internal array before the run starts
   * (`start`: the run's monotonic start; `childPid`: the pid of -c's command), so a
   * cached program serves every run. A method, so builtins reach it through the context.
   */
  runWord(role: 'start' | 'childPid'): LLVM.Value {
    return loadArrayWord(this, this.outputs.map(role).index, role);
  }

  /** i1: the packet matches a pcap-filter expression (pcap("..."); src/codegen/pcap/). */
  pcapFilter(filter: string, span?: Span, skb?: SkbPointer): LLVM.Value {
    return emitPcapFilter(this, filter, span, skb);
  }

  copyBytes(dst: LLVM.Value, dstOffset: number, src: LLVM.Value, size: number): void {
    for (let i = 0; i < size; i++) {
      const byte = this.loadInt(src, i, 8);
      this.storeInt(dst, dstOffset + i, 8, byte);
    }
  }
}
