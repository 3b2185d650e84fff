// `x in {A, B, C}` and long `x == A || x == B || ...` chains: one test against a set of
// constants instead of one branch per alternative.
//
// The value is compared with LLVM `switch` instructions, which the backend lowers to a
// balanced tree of compares (the BPF target has no jump tables): about log2(n) compares
// per packet, a few instructions per constant in the object, and LLVM compiles thousands
// of cases in milliseconds where a chain of thousands of `||` branches took seconds.
// Byte values (IPv6 addresses, MACs) are folded into 32-bit words and compared word by
// word: a switch on the first word, then one on the next among the constants that share
// the first, and so on.
import type { Binary, Expr } from '../model/ast.js';
import type { Type } from '../model/types.js';
import { literalConstant, type LiteralConstant } from '../model/literal-value.js';
import type { FunctionContext } from './function-context.js';
import { llvm, type LLVM } from './llvm.js';

/** An i1: whether `value` (of type `type`) is one of `constants`. */
export function emitSetMembership(f: FunctionContext, value: LLVM.Value, type: Type, constants: LiteralConstant[]): LLVM.Value {
  const { m } = f;
  const { b } = m;
  const yes = f.newBlock('in_set');
  const no = f.newBlock('not_in_set');
  const done = f.newBlock('in_set_done');
  const values = constants.map((c) => (c.kind === 'int' ? BigInt.asUintN(64, c.value) : c.bytes));
  if (type.kind === 'bytes') {
    const words = Array.from({ length: Math.ceil(type.size / WORD_BYTES) }, (_, w) => loadWord(f, value, w, type.size));
    switchOnWords(f, words, distinct(values.map((v) => wordsOf(v as number[], type.size))), 0, yes, no);
  } else if (values.every((v) => (v as bigint) < EXACT)) {
    switchOnWords(f, [value], distinct(values.map((v) => [v as bigint])), 0, yes, no);
  } else {
    // Past 2^53 a constant does not fit llvm-bindings' number arguments: split in halves.
    const words = [b.CreateLShr(value, m.i64Const(32)), b.CreateAnd(value, m.i64Const(0xffffffff))];
    switchOnWords(f, words, distinct(values.map((v) => [(v as bigint) >> 32n, (v as bigint) & 0xffffffffn])), 0, yes, no);
  }
  b.SetInsertPoint(yes);
  b.CreateBr(done);
  b.SetInsertPoint(no);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  const phi = b.CreatePHI(m.i1, 2);
  phi.addIncoming(b.getTrue(), yes);
  phi.addIncoming(b.getFalse(), no);
  return phi;
}

/** Bytes per word of a byte value: a word stays below 2^32, exact as a JS number. */
const WORD_BYTES = 4;
const EXACT = 2n ** 53n;

function distinct(values: bigint[][]): bigint[][] {
  const seen = new Map(values.map((v) => [v.join(','), v]));
  return [...seen.values()];
}

/** Switch on word `index`; each value found goes on to the next word, after the last to `yes`. */
function switchOnWords(f: FunctionContext, words: LLVM.Value[], values: bigint[][], index: number, yes: LLVM.BasicBlock, no: LLVM.BasicBlock): void {
  const { m } = f;
  const groups = new Map<bigint, bigint[][]>();
  for (const v of values) groups.set(v[index]!, [...(groups.get(v[index]!) ?? []), v]);
  const last = index === words.length - 1;
  const targets = new Map([...groups.keys()].map((key) => [key, last ? yes : f.newBlock('in_set_word')]));
  const sw = m.b.CreateSwitch(words[index]!, no, groups.size);
  for (const [key, target] of targets) sw.addCase(llvm.ConstantInt.get(m.i64, Number(key), false), target);
  if (last) return;
  for (const [key, group] of groups) {
    m.b.SetInsertPoint(targets.get(key)!);
    switchOnWords(f, words, group, index + 1, yes, no);
  }
}

/** Bytes `4*w .. 4*w+3` of the buffer as one integer, first byte most significant. */
function loadWord(f: FunctionContext, buffer: LLVM.Value, w: number, size: number): LLVM.Value {
  const { m } = f;
  let word: LLVM.Value = m.i64Const(0);
  for (let i = w * WORD_BYTES; i < Math.min(size, (w + 1) * WORD_BYTES); i++) {
    const byte = m.b.CreateZExt(f.loadInt(buffer, i, 8), m.i64);
    word = m.b.CreateOr(m.b.CreateShl(word, m.i64Const(8)), byte);
  }
  return word;
}

function wordsOf(bytes: number[], size: number): bigint[] {
  const out: bigint[] = [];
  for (let w = 0; w * WORD_BYTES < size; w++) {
    let word = 0n;
    for (let i = w * WORD_BYTES; i < Math.min(size, (w + 1) * WORD_BYTES); i++) word = (word << 8n) | BigInt(bytes[i] ?? 0);
    out.push(word);
  }
  return out;
}

// ---- `x == A || x == B || ...` ----

/**
 * The terms of a `||` chain in order, read with a loop (a chain thousands long nests that
 * deep), with each run of consecutive equality tests of one simple value against
 * constants (`ip.src == 10.0.0.1 || ip.src == 10.0.0.2 ...`) gathered into one group.
 */
export type Alternative = { kind: 'expr'; expr: Expr } | { kind: 'set'; value: Expr; constants: LiteralConstant[] };

/** Runs shorter than this stay plain compares. */
const MIN_GROUP = 4;

export function alternatives(chain: Binary): Alternative[] {
  const terms: Expr[] = [];
  let n: Expr = chain;
  while (n.kind === 'Binary' && n.op === '||') {
    terms.push(n.right);
    n = n.left;
  }
  terms.push(n);
  terms.reverse();
  const out: Alternative[] = [];
  let run: { key: string; value: Expr; constants: LiteralConstant[]; exprs: Expr[] } | undefined;
  const flush = () => {
    if (!run) return;
    if (run.exprs.length >= MIN_GROUP) out.push({ kind: 'set', value: run.value, constants: run.constants });
    else out.push(...run.exprs.map((expr): Alternative => ({ kind: 'expr', expr })));
    run = undefined;
  };
  for (const t of terms) {
    const test = equalityWithConstant(t);
    if (test && run && run.key === test.key) {
      run.constants.push(test.constant);
      run.exprs.push(t);
      continue;
    }
    flush();
    if (test) run = { key: test.key, value: test.value, constants: [test.constant], exprs: [t] };
    else out.push({ kind: 'expr', expr: t });
  }
  flush();
  return out;
}

function equalityWithConstant(e: Expr): { key: string; value: Expr; constant: LiteralConstant } | undefined {
  if (e.kind !== 'Binary' || e.op !== '==') return undefined;
  for (const [value, constant] of [[e.left, e.right], [e.right, e.left]] as const) {
    const key = simpleKey(value);
    const c = literalConstant(constant);
    if (key !== undefined && c !== undefined) return { key, value, constant: c };
  }
  return undefined;
}

/** A value read without side effects, spelt as a key: `ip.src`, `pkt.len`, `$x`, `pid`. */
function simpleKey(e: Expr): string | undefined {
  if (e.kind === 'Ident') return e.name;
  if (e.kind === 'Var') return `$${e.name}`;
  if (e.kind === 'Field') {
    const inner = simpleKey(e.object);
    return inner === undefined ? undefined : `${inner}.${e.name}`;
  }
  return undefined;
}
