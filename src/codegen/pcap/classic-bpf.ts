// Classic BPF (what libpcap's pcap_compile makes of a filter) translated into the
// probe's own LLVM IR, so the filter is optimised together with the rest of the program
// and the verifier sees ordinary eBPF.
//
// A classic program is straight-line code with forward jumps (libpcap's protochain adds
// one loop, unrolled below), so each instruction becomes one basic block and every jump a
// branch to a later block: no loop, nothing for the verifier to bound. A (the accumulator), X (the index register) and the scratch
// words M[0..15] are stack slots, which LLVM turns into registers. Packet loads go
// through a ClassicPacketView, which checks the bounds of every load the way the
// verifier wants and decides what the frame looks like (at tc the VLAN tag the kernel
// took out of the data is put back in front, as a capture file would have it).
//
// As in the kernel's own classic-BPF interpreter, a load outside the frame and a
// division by zero end the program with 0: the filter does not match.
import type { ClassicInsn } from '../../native/pcap.js';
import type { FunctionContext } from '../function-context.js';
import type { LLVM } from '../llvm.js';

export interface ClassicPacketView {
  /** `size` bytes at frame offset `offset` (an i32) as an i32 in host order, or a branch to `fail`. */
  load(offset: LLVM.Value, size: 1 | 2 | 4, fail: LLVM.BasicBlock): LLVM.Value;
  /** The frame's length as the filter sees it (an i32): what a capture's `len` would say. */
  length(): LLVM.Value;
}

// Instruction classes and fields (linux/filter.h, pcap/bpf.h).
const CLASS = { LD: 0x00, LDX: 0x01, ST: 0x02, STX: 0x03, ALU: 0x04, JMP: 0x05, RET: 0x06, MISC: 0x07 } as const;
const SIZE = { W: 0x00, H: 0x08, B: 0x10 } as const;
const MODE = { IMM: 0x00, ABS: 0x20, IND: 0x40, MEM: 0x60, LEN: 0x80, MSH: 0xa0 } as const;
const SRC_X = 0x08;
const ALU = { ADD: 0x00, SUB: 0x10, MUL: 0x20, DIV: 0x30, OR: 0x40, AND: 0x50, LSH: 0x60, RSH: 0x70, NEG: 0x80, MOD: 0x90, XOR: 0xa0 } as const;
const JMP = { JA: 0x00, JEQ: 0x10, JGT: 0x20, JGE: 0x30, JSET: 0x40 } as const;
const RVAL = { K: 0x00, X: 0x08, A: 0x10 } as const;
const MISC = { TAX: 0x00, TXA: 0x80 } as const;
const SCRATCH_WORDS = 16;
/**
 * libpcap's `protochain` walks the header chain with a backward jump: a loop, which
 * tcpdump's interpreter runs as long as the frame lasts. Here each backward jump enters a
 * fresh copy of the program (the verifier wants no unbounded loop); a frame that would
 * need more copies than this is rejected, so protochain follows at most 15 headers.
 * (libpcap's walk over an AH header restarts near the IPv6 header and can step through
 * runs of zero bytes as hop-by-hop headers: the differential test's corpus needs 14.)
 */
const LOOP_COPIES = 16;

/** Emits `insns` at the builder's position; returns an i1, true when the filter accepts the frame. */
export function emitClassicProgram(f: FunctionContext, insns: ClassicInsn[], view: ClassicPacketView): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const i32 = m.i32;
  const k32 = (k: number) => m.intConst(i32, k >>> 0);
  const a = f.alloca(i32, 'cbpf_a', true);
  const x = f.alloca(i32, 'cbpf_x', true);
  const scratch: LLVM.AllocaInst[] = [];
  const word = (n: number) => (scratch[n] ??= f.alloca(i32, `cbpf_m${n}`, true));
  b.CreateStore(k32(0), a);
  b.CreateStore(k32(0), x);

  const done = f.newBlock('cbpf_done');
  const reject = f.newBlock('cbpf_reject');
  const results: Array<[LLVM.Value, LLVM.BasicBlock]> = [];
  const loadA = () => b.CreateLoad(i32, a);
  const loadX = () => b.CreateLoad(i32, x);

  // Blocks by (copy, instruction), made when first jumped to; a backward jump enters the
  // next copy, and a jump that would need more copies than LOOP_COPIES rejects the frame.
  const blocks = new Map<string, LLVM.BasicBlock>();
  const pending: Array<[copy: number, index: number]> = [];
  const at = (copy: number, target: number): LLVM.BasicBlock => {
    // libpcap's programs always end in RET; a jump past the end would be a libpcap bug.
    if (target < 0 || target >= insns.length) throw new Error(`internal: classic BPF jump to ${target} outside the program (${insns.length})`);
    if (copy >= LOOP_COPIES) return reject;
    const key = `${copy}:${target}`;
    let block = blocks.get(key);
    if (!block) {
      blocks.set(key, (block = f.newBlock(`cbpf_${copy}_${target}`)));
      pending.push([copy, target]);
    }
    return block;
  };
  const jump = (copy: number, from: number, offset: number) => {
    const target = (from + 1 + offset) | 0; // k is unsigned; libpcap's loops jump back with a negative one
    return at(target <= from ? copy + 1 : copy, target);
  };

  b.CreateBr(at(0, 0));
  while (pending.length > 0) {
    const [copy, i] = pending.shift()!;
    const [code, jt, jf, k] = insns[i];
    b.SetInsertPoint(blocks.get(`${copy}:${i}`)!);
    const next = () => b.CreateBr(jump(copy, i, 0));
    const cls = code & 0x07;
    switch (cls) {
      case CLASS.LD:
      case CLASS.LDX: {
        const target = cls === CLASS.LD ? a : x;
        const mode = code & 0xe0;
        const size = sizeOf(code);
        let value: LLVM.Value;
        if (mode === MODE.IMM) value = k32(k);
        else if (mode === MODE.LEN) value = view.length();
        else if (mode === MODE.MEM) value = b.CreateLoad(i32, word(k % SCRATCH_WORDS));
        else if (mode === MODE.ABS) value = view.load(k32(k), size, reject);
        else if (mode === MODE.IND) value = view.load(b.CreateAdd(loadX(), k32(k)), size, reject);
        else if (mode === MODE.MSH) {
          // X = 4 * (P[k] & 0xf): the IPv4 header length.
          const byte = view.load(k32(k), 1, reject);
          value = b.CreateShl(b.CreateAnd(byte, k32(0xf)), k32(2));
        } else throw new Error(`internal: classic BPF load mode 0x${mode.toString(16)}`);
        b.CreateStore(value, target);
        next();
        break;
      }
      case CLASS.ST:
      case CLASS.STX:
        b.CreateStore(cls === CLASS.ST ? loadA() : loadX(), word(k % SCRATCH_WORDS));
        next();
        break;
      case CLASS.ALU: {
        const op = code & 0xf0;
        const left = loadA();
        if (op === ALU.NEG) {
          b.CreateStore(b.CreateNeg(left), a);
          next();
          break;
        }
        const right = code & SRC_X ? loadX() : k32(k);
        if (op === ALU.DIV || op === ALU.MOD) {
          // Division by zero ends the program with 0, as in the kernel's interpreter.
          const ok = f.newBlock(`cbpf_${copy}_${i}_divisor`);
          b.CreateCondBr(b.CreateICmpEQ(right, k32(0)), reject, ok);
          b.SetInsertPoint(ok);
        }
        b.CreateStore(alu(f, op, left, right), a);
        next();
        break;
      }
      case CLASS.JMP: {
        const op = code & 0xf0;
        if (op === JMP.JA) {
          b.CreateBr(jump(copy, i, k));
          break;
        }
        const left = loadA();
        const right = code & SRC_X ? loadX() : k32(k);
        let cond: LLVM.Value;
        if (op === JMP.JEQ) cond = b.CreateICmpEQ(left, right);
        else if (op === JMP.JGT) cond = b.CreateICmpUGT(left, right);
        else if (op === JMP.JGE) cond = b.CreateICmpUGE(left, right);
        else if (op === JMP.JSET) cond = b.CreateICmpNE(b.CreateAnd(left, right), k32(0));
        else throw new Error(`internal: classic BPF jump 0x${op.toString(16)}`);
        b.CreateCondBr(cond, jump(copy, i, jt), jump(copy, i, jf));
        break;
      }
      case CLASS.RET: {
        const rval = code & 0x18;
        const value = rval === RVAL.A ? loadA() : rval === RVAL.X ? loadX() : k32(k);
        results.push([b.CreateICmpNE(value, k32(0)), b.GetInsertBlock()!]);
        b.CreateBr(done);
        break;
      }
      case CLASS.MISC:
        if ((code & 0xf8) === MISC.TXA) b.CreateStore(loadX(), a);
        else if ((code & 0xf8) === MISC.TAX) b.CreateStore(loadA(), x);
        else throw new Error(`internal: classic BPF misc 0x${code.toString(16)}`);
        next();
        break;
    }
  }

  b.SetInsertPoint(reject);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  const phi = b.CreatePHI(m.i1, results.length + 1);
  for (const [value, from] of results) phi.addIncoming(value, from);
  phi.addIncoming(b.getFalse(), reject);
  return phi;
}

function sizeOf(code: number): 1 | 2 | 4 {
  switch (code & 0x18) {
    case SIZE.B: return 1;
    case SIZE.H: return 2;
    default: return 4;
  }
}

function alu(f: FunctionContext, op: number, l: LLVM.Value, r: LLVM.Value): LLVM.Value {
  const { b } = f.m;
  switch (op) {
    case ALU.ADD: return b.CreateAdd(l, r);
    case ALU.SUB: return b.CreateSub(l, r);
    case ALU.MUL: return b.CreateMul(l, r);
    case ALU.DIV: return b.CreateUDiv(l, r);
    case ALU.MOD: return b.CreateURem(l, r);
    case ALU.OR: return b.CreateOr(l, r);
    case ALU.AND: return b.CreateAnd(l, r);
    case ALU.XOR: return b.CreateXor(l, r);
    // Classic BPF shifts by the count as given; the kernel's translation masks it to 5 bits.
    case ALU.LSH: return b.CreateShl(l, b.CreateAnd(r, f.m.intConst(f.m.i32, 31)));
    case ALU.RSH: return b.CreateLShr(l, b.CreateAnd(r, f.m.intConst(f.m.i32, 31)));
  }
  throw new Error(`internal: classic BPF ALU op 0x${op.toString(16)}`);
}
