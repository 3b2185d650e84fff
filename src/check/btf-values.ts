// What a BTF-typed kernel value is to nettrace: its type and how its bytes are read.
//
// - integers and enums keep their size and sign; enums print by name;
// - `__be16`/`__be32`/`__be64` are swapped to host order, and a `__be32` whose name ends
//   in `addr` (skc_daddr) is an IPv4 address;
// - pointers are u64 values printed in hex that remember what they point at;
// - `char[N]` is a string, other byte arrays of 4/16/6 bytes and `struct in6_addr` are
//   IPv4/IPv6/MAC addresses;
// - any other struct or union is not a value: the caller asks for one of its fields.
import type { Btf } from '../btf/reader.js';
import { enumNames } from '../probes/btf-enums.js';
import { cTypeName, resolved, structOf } from '../btf/resolve.js';
import type { BtfStruct } from '../btf/types.js';
import type { ReadAs } from '../model/kernel-read.js';
import { int, str, u64, type EnumNames, type IntType, type Type } from '../model/types.js';

export type BtfValue =
  | { kind: 'value'; type: Type; size: number; as: ReadAs }
  | { kind: 'struct'; struct: BtfStruct }
  | { kind: 'unsupported'; why: string };

export interface ValueContext {
  /** The member or argument name: `skc_daddr` makes a __be32 an address. */
  name: string;
  /** A bitfield's size in bits (0 otherwise). */
  bitSize?: number;
  /** Names to use for an integer that BTF types as a plain int (a tracepoint's table). */
  enumOverride?: EnumNames;
}

export function btfValue(btf: Btf, typeId: number, ctx: ValueContext): BtfValue {
  const t = resolved(btf, typeId);
  const ctype = cTypeName(btf, typeId);
  if (!t) return { kind: 'unsupported', why: `'${ctx.name}' is void` };
  switch (t.kind) {
    case 'int': {
      if (ctx.bitSize) {
        const bits = ([8, 16, 32, 64] as const).find((b) => b >= ctx.bitSize!) ?? 64;
        return { kind: 'value', type: withNames(int(bits, t.signed), ctx), size: t.size, as: { kind: 'int', signed: t.signed } };
      }
      if (![1, 2, 4, 8].includes(t.size)) return { kind: 'unsupported', why: `'${ctx.name}' is a ${t.size * 8}-bit integer, wider than nettrace's 64` };
      const bigEndian = isBigEndian(btf, typeId);
      let type: Type = withNames(int((t.size * 8) as IntType['bits'], t.signed && !t.bool), ctx);
      if (bigEndian && t.size === 4 && /addr$/.test(ctx.name)) type = int(32, false, 'ipv4');
      return { kind: 'value', type, size: t.size, as: { kind: 'int', signed: t.signed && !t.bool, ...(bigEndian ? { bigEndian } : {}) } };
    }
    case 'enum': {
      const names = enumNames(btf, t.id);
      const size = t.size === 8 ? 8 : t.size === 2 ? 2 : t.size === 1 ? 1 : 4;
      const base = int((size * 8) as IntType['bits'], t.signed);
      return { kind: 'value', type: names ? { ...base, show: 'enum', enum: names } : base, size, as: { kind: 'int', signed: t.signed } };
    }
    case 'ptr':
      return { kind: 'value', type: { ...u64, show: 'hex', pointer: { btfType: t.type, ctype } }, size: 8, as: { kind: 'int', signed: false } };
    case 'array': {
      const elem = resolved(btf, t.elem);
      if (elem?.kind === 'int' && elem.size === 1) {
        if (elem.char || /^(signed )?char$/.test(elem.name)) return { kind: 'value', type: str(t.nelems), size: t.nelems, as: { kind: 'bytes' } };
        if (t.nelems === 4) return { kind: 'value', type: int(32, false, 'ipv4'), size: 4, as: { kind: 'int', signed: false, bigEndian: true } };
        if (t.nelems === 16 || t.nelems === 6) {
          return { kind: 'value', type: { kind: 'bytes', size: t.nelems, show: t.nelems === 16 ? 'ipv6' : 'mac' }, size: t.nelems, as: { kind: 'bytes' } };
        }
      }
      return { kind: 'unsupported', why: `'${ctx.name}' is an array (${ctype}); nettrace reads byte arrays of 4, 6 or 16 bytes and char arrays` };
    }
    case 'struct':
    case 'union':
    case 'fwd': {
      const s = structOf(btf, t.id);
      if (!s) return { kind: 'unsupported', why: `'${ctx.name}' is ${ctype}, which this kernel's BTF does not define` };
      if (s.kind === 'struct' && s.name === 'in6_addr') return { kind: 'value', type: { kind: 'bytes', size: 16, show: 'ipv6' }, size: 16, as: { kind: 'bytes' } };
      return { kind: 'struct', struct: s };
    }
    default:
      return { kind: 'unsupported', why: `'${ctx.name}' has type ${ctype}, which nettrace cannot read` };
  }
}

function withNames(type: IntType, ctx: ValueContext): IntType {
  return ctx.enumOverride ? { ...type, show: 'enum', enum: ctx.enumOverride } : type;
}

/** `__be16` and friends: the kernel's sparse annotations for network byte order. */
function isBigEndian(btf: Btf, typeId: number): boolean {
  for (let id = typeId, depth = 0; depth < 16; depth++) {
    const t = btf.get(id);
    if (!t || !('type' in t) || t.kind === 'ptr' || t.kind === 'func') return false;
    if (t.kind === 'typedef' && /^__be(16|32|64)$/.test(t.name)) return true;
    id = t.type;
  }
  return false;
}
