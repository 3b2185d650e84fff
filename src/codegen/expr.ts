// Expressions to LLVM values. Integers are i64 (widened on read, narrowed on store),
// booleans i1, addresses a pointer to bytes on the stack.
//
// A packet field the packet lacks branches to `missing`. Comparisons catch that branch
// themselves and yield false, as tcpdump does: for a UDP packet `tcp.dport == 80` is
// false and `!(tcp.dport == 80)` true. Anywhere else (a map key, a value) the branch
// leaves the statement, which then does not run for that packet.
import type { AssignOp, Binary, Expr } from '../model/ast.js';
import type { Type } from '../model/types.js';
import { isHeaderName } from '../packet/model.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { headerPresent, packetLength, readField, type PacketContext } from './packet.js';
import { emitPacketIndex, readVlanTagField } from './packet-index.js';
import { innerHeaderOf, innerHeaderPresent, readInnerField, tunnelPresent } from './tunnel.js';
import type { HeaderName } from '../model/header-name.js';
import { findValueBuiltin } from '../builtins/registry.js';
import { findValueFunction } from '../functions/registry.js';
import { emitKernelRead } from './kernel-read.js';
import { isPointerCast } from '../check/kernel-access.js';
import { signedComparison } from '../check/numeric.js';
import { emitMapRead } from './scalar-maps.js';
import { alternatives, emitSetMembership, type Alternative } from './set-membership.js';
import { literalConstant } from '../model/literal-value.js';
import { emitCast, emitString, emitStringsEqual, widenString } from './values-extra.js';

export class ExprEmitter {
  constructor(private readonly f: FunctionContext) {}

  typeOf(e: Expr): Type {
    const t = this.f.checked.types.get(e);
    if (!t) throw new Error(`internal: expression at ${e.span.start.line}:${e.span.start.column} has no type`);
    return t;
  }

  /** An i1 for conditions: non-zero integers are true. */
  condition(e: Expr, missing: LLVM.BasicBlock): LLVM.Value {
    const v = this.emit(e, missing);
    return this.typeOf(e).kind === 'bool' ? v : this.f.m.b.CreateICmpNE(v, this.f.m.i64Const(0));
  }

  emit(e: Expr, missing: LLVM.BasicBlock): LLVM.Value {
    const done = this.spine.get(e);
    if (done) return done;
    if (e.kind === 'Binary' && continuesSpine(e) && e.left.kind === 'Binary' && continuesSpine(e.left) && !this.spine.has(e.left)) {
      const walked = this.emitLeftSpine(e, missing);
      try {
        return this.emitNode(e, missing);
      } finally {
        for (const n of walked) this.spine.delete(n);
      }
    }
    return this.emitNode(e, missing);
  }

  /** Values already emitted for the left spine of the chain being emitted. */
  private readonly spine = new Map<Expr, LLVM.Value>();

  /**
   * A chain such as `a + b + c ...` or `x || y || z ...` nests to the left as deep as it is
   * long. Each of these operators evaluates its left operand first, in the current block,
   * with the same missing-header block as itself; so the spine can be emitted bottom-up in
   * a loop, each value remembered for its parent, and the IR is the same as recursion's.
   */
  private emitLeftSpine(top: Binary, missing: LLVM.BasicBlock): Binary[] {
    const nodes: Binary[] = [];
    for (let n: Expr = top.left; n.kind === 'Binary' && continuesSpine(n); n = n.left) nodes.push(n);
    try {
      for (let i = nodes.length - 1; i >= 0; i--) this.spine.set(nodes[i]!, this.emitNode(nodes[i]!, missing));
    } catch (e) {
      for (const n of nodes) this.spine.delete(n);
      throw e;
    }
    return nodes;
  }

  private emitNode(e: Expr, missing: LLVM.BasicBlock): LLVM.Value {
    const { m } = this.f;
    const { b } = m;
    // args.X, retval, struct fields through kernel pointers: planned by check/kernel-access.ts.
    const kernel = this.f.probe && this.f.checked.kernelReads?.get(e)?.get(this.f.probe);
    if (kernel) return emitKernelRead(this.f, kernel, this, missing, e.span);
    // `(struct sock *)x` is x: the cast only gives the checker a type to follow.
    if (e.kind === 'Cast' && isPointerCast(e)) return this.emit(e.expr, missing);
    switch (e.kind) {
      case 'Int':
        return m.i64Const(e.value);
      case 'Bool':
        return e.value ? b.getTrue() : b.getFalse();
      case 'Addr':
        return e.family === 4 ? m.i64Const(ipv4HostOrder(e.bytes)) : this.constantBytes(e.bytes);
      case 'Mac':
        return this.constantBytes(e.bytes);
      case 'Ident': {
        const constant = this.f.checked.constants?.get(e);
        if (constant !== undefined) return m.i64Const(constant);
        if (e.name === 'inner') return tunnelPresent(this.f);
        if (isHeaderName(e.name)) return headerPresent(this.f, e.name);
        return findValueBuiltin(e.name)!.emit(this.f);
      }
      case 'Index':
        return emitPacketIndex(this.f, e, this, missing);
      case 'Field':
        if (e.object.kind === 'Index') return readVlanTagField(this.f, e.object, e.name, missing);
        if (e.object.kind === 'Ident' && e.object.name === 'inner') return innerHeaderPresent(this.f, e.name as HeaderName);
        if (e.object.kind === 'Field' && innerHeaderOf(e.object)) return readInnerField(this.f, e.object.name as HeaderName, e.name, missing);
        if (e.object.kind !== 'Ident') break;
        if (e.object.name === 'pkt') return packetLength(this.f, this.f.probeContext as PacketContext);
        if (isHeaderName(e.object.name)) return readField(this.f, e.object.name, e.name, missing);
        break;
      case 'Var': {
        const v = this.f.vars.get(e.name)!;
        return b.CreateLoad(v.slot.getAllocatedType(), v.slot);
      }
      case 'Unary': {
        if (e.op === '!') return b.CreateNot(this.condition(e.operand, missing));
        const v = this.emit(e.operand, missing);
        return e.op === '-' ? b.CreateNeg(v) : b.CreateNot(v);
      }
      case 'Binary':
        return this.binary(e, missing);
      case 'Ternary':
        return this.ternary(e, missing);
      case 'Str':
        return emitString(this.f, e.value);
      case 'Map':
        return emitMapRead(this.f, this, e, this.f.maps.get(e.name)!, missing);
      case 'Cast':
        return emitCast(this.f, this.typeOf(e), this.typeOf(e.expr), this.emit(e.expr, missing));
      case 'Call': {
        // The checker lets only value functions stand where a value is needed.
        const args = e.args.map((a) => this.emit(a, missing));
        return findValueFunction(e.callee)!.emit({ f: this.f, args, argTypes: e.args.map((a) => this.typeOf(a)), call: e });
      }
      default:
        break;
    }
    throw new Error(`internal: cannot generate code for ${e.kind} yet`);
  }

  private binary(e: Binary, missing: LLVM.BasicBlock): LLVM.Value {
    if (isComparison(e.op)) return this.falseWhenMissing((localMissing) => this.comparison(e, localMissing));
    if (e.op === '||' || e.op === '&&') return this.shortCircuit(e, missing);
    const l = this.emit(e.left, missing);
    const r = this.emit(e.right, missing);
    const t = this.typeOf(e);
    return this.arithmetic(e.op as AssignOp, l, r, t.kind === 'int' && t.signed);
  }

  /** `l OP r` on i64 values; also what compound assignments (`+=`, `<<=`) compute. */
  arithmetic(op: AssignOp, l: LLVM.Value, r: LLVM.Value, signed: boolean): LLVM.Value {
    const { b } = this.f.m;
    switch (op) {
      case '+': return b.CreateAdd(l, r);
      case '-': return b.CreateSub(l, r);
      case '*': return b.CreateMul(l, r);
      case '/': return this.safeDivide(l, r, signed ? 'sdiv' : 'udiv');
      case '%': return this.safeDivide(l, r, signed ? 'srem' : 'urem');
      case '&': return b.CreateAnd(l, r);
      case '|': return b.CreateOr(l, r);
      case '^': return b.CreateXor(l, r);
      case '<<': return b.CreateShl(l, r);
      case '>>': return signed ? b.CreateAShr(l, r) : b.CreateLShr(l, r);
      case '=': return r;
    }
  }

  private comparison(e: Binary, missing: LLVM.BasicBlock): LLVM.Value {
    const { m } = this.f;
    const { b } = m;
    if (e.op === 'in' && e.right.kind === 'Set') {
      // A named constant (NO_SOCKET) is the value the checker resolved for it.
      const constants = e.right.elements.map((x) => literalConstant(x) ?? { kind: 'int' as const, value: this.f.checked.constants!.get(x)! });
      return emitSetMembership(this.f, this.emit(e.left, missing), this.typeOf(e.left), constants);
    }
    if (e.op === 'in') return this.inNetwork(e, missing);
    const lt = this.typeOf(e.left);
    const l = this.emit(e.left, missing);
    const r = this.emit(e.right, missing);
    if (lt.kind === 'bytes') {
      const same = this.bytesEqual(l, r, lt.size);
      return e.op === '==' ? same : b.CreateNot(same);
    }
    if (lt.kind === 'bool') return e.op === '==' ? b.CreateICmpEQ(l, r) : b.CreateICmpNE(l, r);
    const rt = this.typeOf(e.right);
    if (lt.kind === 'str' && rt.kind === 'str') {
      const same = emitStringsEqual(this.f, l, r, lt.size, rt.size);
      return e.op === '==' ? same : b.CreateNot(same);
    }
    const signed = lt.kind === 'int' && rt.kind === 'int' && signedComparison(lt, rt, e.left, e.right);
    switch (e.op) {
      case '==': return b.CreateICmpEQ(l, r);
      case '!=': return b.CreateICmpNE(l, r);
      case '<': return signed ? b.CreateICmpSLT(l, r) : b.CreateICmpULT(l, r);
      case '<=': return signed ? b.CreateICmpSLE(l, r) : b.CreateICmpULE(l, r);
      case '>': return signed ? b.CreateICmpSGT(l, r) : b.CreateICmpUGT(l, r);
      case '>=': return signed ? b.CreateICmpSGE(l, r) : b.CreateICmpUGE(l, r);
    }
    throw new Error(`internal: comparison ${e.op}`);
  }

  private inNetwork(e: Binary, missing: LLVM.BasicBlock): LLVM.Value {
    const { m } = this.f;
    const { b } = m;
    const net = e.right as Extract<Expr, { kind: 'Addr' }>;
    const value = this.emit(e.left, missing);
    const prefix = net.prefix!;
    if (net.family === 4) {
      const mask = prefix === 0 ? 0n : (0xffffffffn << BigInt(32 - prefix)) & 0xffffffffn;
      const network = ipv4HostOrder(net.bytes) & mask;
      return b.CreateICmpEQ(b.CreateAnd(value, m.i64Const(mask)), m.i64Const(network));
    }
    let all: LLVM.Value = b.getTrue();
    for (let i = 0; i < 16 && i * 8 < prefix; i++) {
      const bits = Math.min(8, prefix - i * 8);
      const mask = (0xff << (8 - bits)) & 0xff;
      const byte = b.CreateZExt(this.f.loadInt(value, i, 8), m.i64);
      all = b.CreateAnd(all, b.CreateICmpEQ(b.CreateAnd(byte, m.i64Const(mask)), m.i64Const(net.bytes[i] & mask)));
    }
    return all;
  }

  /**
   * `a && b && c ...`, `a || b || c ...`: the terms in order, each evaluated only when the
   * ones before it did not decide (`udp && udp.dport == 53` never reads a UDP header the
   * packet lacks, so the statement still runs, false). The chain is read with a loop
   * however long it is, and emitted flat: one merge block for all terms. In a `||` chain,
   * runs of `x == CONSTANT` on one value are tested as one set (set-membership.ts).
   */
  private shortCircuit(e: Binary, missing: LLVM.BasicBlock): LLVM.Value {
    const { b, i1 } = this.f.m;
    const decided = e.op === '||' ? b.getTrue() : b.getFalse();
    const terms = e.op === '||' ? alternatives(e) : conjuncts(e).map((expr): Alternative => ({ kind: 'expr', expr }));
    const done = this.f.newBlock(e.op === '||' ? 'or_done' : 'and_done');
    const incoming: Array<[LLVM.Value, LLVM.BasicBlock]> = [];
    terms.forEach((term, i) => {
      const value =
        term.kind === 'set'
          ? this.falseWhenMissing((localMissing) => emitSetMembership(this.f, this.emit(term.value, localMissing), this.typeOf(term.value), term.constants))
          : this.condition(term.expr, missing);
      const end = b.GetInsertBlock()!;
      if (i === terms.length - 1) {
        b.CreateBr(done);
        incoming.push([value, end]);
        return;
      }
      const next = this.f.newBlock(e.op === '||' ? 'or_rhs' : 'and_rhs');
      if (e.op === '||') b.CreateCondBr(value, done, next);
      else b.CreateCondBr(value, next, done);
      incoming.push([decided, end]);
      b.SetInsertPoint(next);
    });
    b.SetInsertPoint(done);
    const phi = b.CreatePHI(i1, incoming.length);
    for (const [value, block] of incoming) phi.addIncoming(value, block);
    return phi;
  }

  /** `c ? x : y` evaluates only the branch taken: `tcp ? tcp.dport : udp.dport` works on both. */
  private ternary(e: Extract<Expr, { kind: 'Ternary' }>, missing: LLVM.BasicBlock): LLVM.Value {
    const { b } = this.f.m;
    const cond = this.condition(e.cond, missing);
    const whenTrue = this.f.newBlock('ternary_then');
    const whenFalse = this.f.newBlock('ternary_else');
    const merge = this.f.newBlock('ternary_done');
    b.CreateCondBr(cond, whenTrue, whenFalse);
    b.SetInsertPoint(whenTrue);
    // The checker gave both branches one type: both i64, both i1, or both byte pointers.
    const x = widenString(this.f, this.emit(e.then, missing), this.typeOf(e.then), this.typeOf(e));
    const xEnd = b.GetInsertBlock()!;
    b.CreateBr(merge);
    b.SetInsertPoint(whenFalse);
    const y = widenString(this.f, this.emit(e.else, missing), this.typeOf(e.else), this.typeOf(e));
    const yEnd = b.GetInsertBlock()!;
    b.CreateBr(merge);
    b.SetInsertPoint(merge);
    const phi = b.CreatePHI(x.getType(), 2);
    phi.addIncoming(x, xEnd);
    phi.addIncoming(y, yEnd);
    return phi;
  }

  /** Runs `body` with its own missing-header block, which makes the result false. */
  private falseWhenMissing(body: (missing: LLVM.BasicBlock) => LLVM.Value): LLVM.Value {
    const { b, i1 } = this.f.m;
    const missing = this.f.newBlock('header_missing');
    const value = body(missing);
    // Nothing read a header (pkt.len, $x, a constant): no branch, no phi. Thousands of
    // unused blocks in a long chain cost LLVM seconds.
    if (missing.use_empty()) {
      missing.eraseFromParent();
      return value;
    }
    const merge = this.f.newBlock('cmp_done');
    const from = b.GetInsertBlock()!;
    b.CreateBr(merge);
    b.SetInsertPoint(missing);
    b.CreateBr(merge);
    b.SetInsertPoint(merge);
    const phi = b.CreatePHI(i1, 2);
    phi.addIncoming(value, from);
    phi.addIncoming(b.getFalse(), missing);
    return phi;
  }

  private bytesEqual(l: LLVM.Value, r: LLVM.Value, size: number): LLVM.Value {
    const { b } = this.f.m;
    let all: LLVM.Value = b.getTrue();
    for (let i = 0; i < size; i++) {
      all = b.CreateAnd(all, b.CreateICmpEQ(this.f.loadInt(l, i, 8), this.f.loadInt(r, i, 8)));
    }
    return all;
  }

  private constantBytes(bytes: number[]): LLVM.Value {
    const buf = this.f.zeroedBuffer(bytes.length, 'literal');
    bytes.forEach((byte, i) => this.f.storeInt(buf, i, 8, this.f.m.intConst(this.f.m.i8, byte)));
    return buf;
  }

  /**
   * Division by zero yields 0 rather than leaving it to the BPF ISA's rules. LLVM 14's BPF
   * backend cannot emit signed division (it aborts), so signed operands are divided as
   * magnitudes and the sign is put back: C's truncating semantics.
   */
  safeDivide(l: LLVM.Value, r: LLVM.Value, op: 'sdiv' | 'udiv' | 'srem' | 'urem'): LLVM.Value {
    const { m } = this.f;
    const { b } = m;
    const zero = m.i64Const(0);
    const isZero = b.CreateICmpEQ(r, zero);
    const divisor = b.CreateSelect(isZero, m.i64Const(1), r);
    let result: LLVM.Value;
    if (op === 'udiv' || op === 'urem') {
      result = op === 'udiv' ? b.CreateUDiv(l, divisor) : b.CreateURem(l, divisor);
    } else {
      const lNeg = b.CreateICmpSLT(l, zero);
      const rNeg = b.CreateICmpSLT(divisor, zero);
      const magnitude = (v: LLVM.Value, neg: LLVM.Value) => b.CreateSelect(neg, b.CreateNeg(v), v);
      const lAbs = magnitude(l, lNeg);
      const rAbs = magnitude(divisor, rNeg);
      // The quotient is negative when the signs differ; the remainder takes the dividend's sign.
      result = op === 'sdiv' ? magnitude(b.CreateUDiv(lAbs, rAbs), b.CreateXor(lNeg, rNeg)) : magnitude(b.CreateURem(lAbs, rAbs), lNeg);
    }
    return b.CreateSelect(isZero, zero, result);
  }
}

/** Operators that evaluate their left operand first, with their own missing-header block. */
function continuesSpine(e: Binary): boolean {
  return !isComparison(e.op) && e.op !== '||' && e.op !== '&&'; // those chains: shortCircuit's loop
}

/** The terms of an `&&` chain in order, read with a loop. */
function conjuncts(chain: Binary): Expr[] {
  const terms: Expr[] = [];
  let n: Expr = chain;
  while (n.kind === 'Binary' && n.op === '&&') {
    terms.push(n.right);
    n = n.left;
  }
  terms.push(n);
  return terms.reverse();
}

function isComparison(op: Binary['op']): boolean {
  return op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === 'in';
}

function ipv4HostOrder(bytes: number[]): bigint {
  return BigInt(((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0);
}
