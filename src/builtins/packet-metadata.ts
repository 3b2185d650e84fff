// What packet probes know about a packet beside its headers: read from the program's
// context struct (struct xdp_md, struct __sk_buff) or fixed by where the probe attaches.
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';
import { u32, type Type } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

/** Offsets in the context structs (include/uapi/linux/bpf.h). */
const XDP_MD = { ingressIfindex: 12, rxQueueIndex: 16 };
const SK_BUFF = { mark: 8, ifindex: 40 };

/** `direction` prints as the hook's name. */
const DIRECTION: Type = { kind: 'int', bits: 8, signed: false, show: 'enum', enum: { name: 'direction', names: { 0: 'ingress', 1: 'egress' } } };

/** A u32 of the context struct, as an i64. */
function contextWord(f: FunctionContext, offset: number): LLVM.Value {
  return f.m.b.CreateZExt(f.loadInt(f.ctxArg, offset, 32), f.m.i64);
}

export const ifindexBuiltin: ValueBuiltin = {
  name: 'ifindex',
  type: u32,
  contexts: ['xdp', 'skb'],
  doc: 'the interface the probe is on (`ip link` numbers)',
  emit: (f) => contextWord(f, f.probeContext === 'xdp' ? XDP_MD.ingressIfindex : SK_BUFF.ifindex),
};

export const rxqBuiltin: ValueBuiltin = {
  name: 'rxq',
  type: u32,
  contexts: ['xdp'],
  doc: 'the receive queue the packet arrived on',
  emit: (f) => contextWord(f, XDP_MD.rxQueueIndex),
};

export const markBuiltin: ValueBuiltin = {
  name: 'mark',
  type: u32,
  contexts: ['skb'],
  doc: "the packet's firewall mark (`skb->mark`)",
  emit: (f) => contextWord(f, SK_BUFF.mark),
};

/** 0 ingress, 1 egress: fixed per program, since each program is on one hook. */
export const directionBuiltin: ValueBuiltin = {
  name: 'direction',
  type: DIRECTION,
  contexts: ['xdp', 'skb'],
  doc: '`ingress` or `egress`: the hook the packet is seen at; xdp is always `ingress`',
  emit(f) {
    const attach = f.probe?.attach;
    return f.m.i64Const(attach?.kind === 'tc' && attach.direction === 'egress' ? 1 : 0);
  },
};
