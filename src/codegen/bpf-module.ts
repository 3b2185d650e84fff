// A thin layer over llvm-bindings for writing BPF programs: one LLVM module, an IRBuilder,
// and the few BPF idioms every emitter needs (helper calls by id, map references through
// llvm.bpf.pseudo, allocas kept in the entry block).
import { BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE } from '../model/uapi.js';
import { llvm, type LLVM } from './llvm.js';

export class BpfModule {
  readonly context = new llvm.LLVMContext();
  readonly module: LLVM.Module;
  readonly b: LLVM.IRBuilder;
  readonly i1: LLVM.IntegerType;
  readonly i8: LLVM.IntegerType;
  readonly i16: LLVM.IntegerType;
  readonly i32: LLVM.IntegerType;
  readonly i64: LLVM.IntegerType;
  readonly i8p: LLVM.PointerType;
  private pseudo?: LLVM.Function;
  private atomicAdd?: LLVM.Function;
  private readonly intrinsics = new Map<string, LLVM.Function>();

  constructor(name: string) {
    this.module = new llvm.Module(name, this.context);
    this.module.setTargetTriple('bpf');
    this.module.setDataLayout('e-m:e-p:64:64-i64:64-i128:128-n32:64-S128');
    this.b = new llvm.IRBuilder(this.context);
    this.i1 = this.b.getInt1Ty();
    this.i8 = this.b.getInt8Ty();
    this.i16 = this.b.getInt16Ty();
    this.i32 = this.b.getInt32Ty();
    this.i64 = this.b.getInt64Ty();
    this.i8p = this.b.getInt8PtrTy();
  }

  intType(bits: number): LLVM.IntegerType {
    return llvm.Type.getIntNTy(this.context, bits);
  }

  /** A 64-bit constant from a bigint (llvm-bindings takes JS numbers, exact only to 2^53). */
  i64Const(value: bigint | number): LLVM.Value {
    const v = BigInt.asUintN(64, BigInt(value));
    if (v < 2n ** 53n) return llvm.ConstantInt.get(this.i64, Number(v));
    const hi = llvm.ConstantInt.get(this.i64, Number(v >> 32n));
    const lo = llvm.ConstantInt.get(this.i64, Number(v & 0xffffffffn));
    return this.b.CreateOr(this.b.CreateShl(hi, llvm.ConstantInt.get(this.i64, 32)), lo);
  }

  intConst(type: LLVM.IntegerType, value: number): LLVM.Value {
    return llvm.ConstantInt.get(type, value);
  }

  /** Pointer-to-T. (llvm-bindings' Type subclasses do not all expose getPointerTo.) */
  ptrTo(type: LLVM.Type): LLVM.PointerType {
    return llvm.PointerType.getUnqual(type);
  }

  arrayOfI64(words: number): LLVM.ArrayType {
    return llvm.ArrayType.get(this.i64, words);
  }

  newFunction(name: string): LLVM.Function {
    const type = llvm.FunctionType.get(this.i32, [this.i8p], false);
    const fn = llvm.Function.Create(type, llvm.Function.LinkageTypes.ExternalLinkage, name, this.module);
    fn.setDoesNotThrow();
    return fn;
  }

  block(fn: LLVM.Function, name: string): LLVM.BasicBlock {
    return llvm.BasicBlock.Create(this.context, name, fn);
  }

  /** Calls helper `id` the BPF way: the callee is the helper number cast to a function pointer. */
  callHelper(id: number, ret: LLVM.Type, params: LLVM.Type[], args: LLVM.Value[]): LLVM.Value {
    const type = llvm.FunctionType.get(ret, params, false);
    const callee = this.b.CreateIntToPtr(this.i64Const(id), this.ptrTo(type));
    return this.b.CreateCall(type, callee, args);
  }

  /** A reference to map number `index`; the runtime rewrites the index to the map's fd. */
  mapRef(index: number): LLVM.Value {
    const raw = this.b.CreateCall(this.pseudoIntrinsic(), [this.i64Const(BPF_PSEUDO_MAP_FD), this.i64Const(index)]);
    return this.b.CreateIntToPtr(raw, this.i8p);
  }

  /**
   * The address of the value of map number `index`, a one-entry BPF_MAP_TYPE_ARRAY
   * (the kernel refuses direct access to any other map): one ld_imm64, where a lookup
   * costs a key on the stack, the call (or the verifier's inlined copy) and a null check.
   */
  mapValueRef(index: number): LLVM.Value {
    const raw = this.b.CreateCall(this.pseudoIntrinsic(), [this.i64Const(BPF_PSEUDO_MAP_VALUE), this.i64Const(index)]);
    return this.b.CreateIntToPtr(raw, this.i8p);
  }

  /**
   * `*ptr += delta` as one atomic instruction (BPF_ATOMIC BPF_ADD without BPF_FETCH, the
   * old XADD, which every kernel of the matrix runs): for a counter that several CPUs
   * add to. llvm-bindings cannot build an `atomicrmw`, so the call goes to a function
   * that print() defines in the IR text; the emitter inlines it.
   */
  atomicAdd64(ptr: LLVM.Value, delta: LLVM.Value): void {
    if (!this.atomicAdd) {
      const type = llvm.FunctionType.get(this.b.getVoidTy(), [this.ptrTo(this.i64), this.i64], false);
      this.atomicAdd = llvm.Function.Create(type, llvm.Function.LinkageTypes.ExternalLinkage, ATOMIC_ADD_NAME, this.module);
    }
    this.b.CreateCall(this.atomicAdd, [this.b.CreateBitCast(ptr, this.ptrTo(this.i64)), delta]);
  }

  private pseudoIntrinsic(): LLVM.Function {
    if (!this.pseudo) {
      const type = llvm.FunctionType.get(this.i64, [this.i64, this.i64], false);
      this.pseudo = llvm.Function.Create(type, llvm.Function.LinkageTypes.ExternalLinkage, 'llvm.bpf.pseudo', this.module);
    }
    return this.pseudo;
  }

  intrinsic(name: string, ret: LLVM.Type, params: LLVM.Type[]): LLVM.Function {
    let fn = this.intrinsics.get(name);
    if (!fn) {
      fn = llvm.Function.Create(llvm.FunctionType.get(ret, params, false), llvm.Function.LinkageTypes.ExternalLinkage, name, this.module);
      this.intrinsics.set(name, fn);
    }
    return fn;
  }

  /** Byte-swap a 16/32/64-bit integer (network to host order on little-endian BPF). */
  bswap(value: LLVM.Value, bits: 16 | 32 | 64): LLVM.Value {
    const t = this.intType(bits);
    return this.b.CreateCall(this.intrinsic(`llvm.bswap.i${bits}`, t, [t]), [value]);
  }

  print(): string {
    const text = this.module.print();
    if (!this.atomicAdd) return text;
    const declaration = new RegExp(`^declare void @${ATOMIC_ADD_NAME}\\(i64\\*, i64\\)[^\\n]*$`, 'm');
    if (!declaration.test(text)) throw new Error(`internal: no declaration of @${ATOMIC_ADD_NAME} in the printed IR`);
    return text.replace(declaration, ATOMIC_ADD_DEFINITION);
  }

  /** LLVM's verifier: returns the problem, or undefined when the module is sound. */
  verify(): boolean {
    return !llvm.verifyModule(this.module);
  }
}

const ATOMIC_ADD_NAME = 'nettrace_atomic_add_u64';
/** Its result unused, LLVM's BPF backend emits the add without BPF_FETCH (which needs 5.12). */
const ATOMIC_ADD_DEFINITION = [
  `define internal void @${ATOMIC_ADD_NAME}(i64* %ptr, i64 %delta) alwaysinline {`,
  '  %old = atomicrmw add i64* %ptr, i64 %delta monotonic',
  '  ret void',
  '}',
].join('\n');
