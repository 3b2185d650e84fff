// `x[...]` in packet probes: `vlan[0]` / `vlan[1]` (the outer and inner VLAN tag, and
// their fields: vlan[1].id), or bytes at an offset (packet-offsets.ts).
import type { IndexAccess } from '../model/ast.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import type { ExprEmitter } from './expr.js';
import { headerPresent, readField } from './packet.js';
import { emitByteOffset } from './packet-offsets.js';
import { vlanTagIndex } from '../check/packet-index.js';
import { HEADERS } from '../packet/model.js';

export function emitPacketIndex(f: FunctionContext, e: IndexAccess, expr: ExprEmitter, missing: LLVM.BasicBlock): LLVM.Value {
  if (e.object.kind === 'Ident' && e.object.name === 'vlan') return vlanTagPresent(f, vlanTagIndex(e)!);
  return emitByteOffset(f, e, expr, missing);
}

/** i1: the packet has this VLAN tag (0: the outer one, `vlan`; 1: the inner one). */
function vlanTagPresent(f: FunctionContext, tag: number): LLVM.Value {
  const { m } = f;
  if (tag === 0) return headerPresent(f, 'vlan');
  return m.b.CreateICmpNE(m.b.CreateLoad(m.i64, f.packet!.innerVlan), m.i64Const(0));
}

/** `vlan[i].id`, `.pcp`, `.tpid`: as `vlan.*` for tag 0, from the inner tag's slots for tag 1. */
export function readVlanTagField(f: FunctionContext, tagExpr: IndexAccess, fieldName: string, missing: LLVM.BasicBlock): LLVM.Value {
  const tag = vlanTagIndex(tagExpr)!;
  if (tag === 0) return readField(f, 'vlan', fieldName, missing);
  const { m } = f;
  const { b } = m;
  const p = f.packet!;
  const spec = HEADERS.vlan.fields[fieldName]!;
  guard(f, vlanTagPresent(f, 1), missing, 'inner_vlan_present');
  // The TPID is known as soon as the tag is; the TCI only when both its bytes are there.
  if (spec.parsed === 'vlanTci') guard(f, b.CreateICmpNE(b.CreateLoad(m.i64, p.innerVlanTciOk), m.i64Const(0)), missing, 'inner_vlan_tci_read');
  let value: LLVM.Value = b.CreateLoad(m.i64, spec.parsed === 'vlanTci' ? p.innerVlanTci : p.innerVlanTpid);
  if (spec.shift !== undefined) value = b.CreateLShr(value, m.i64Const(spec.shift));
  return spec.mask === undefined ? value : b.CreateAnd(value, m.i64Const(spec.mask));
}

function guard(f: FunctionContext, cond: LLVM.Value, missing: LLVM.BasicBlock, name: string): void {
  const ok = f.newBlock(name);
  f.m.b.CreateCondBr(cond, ok, missing);
  f.m.b.SetInsertPoint(ok);
}
