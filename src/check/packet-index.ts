// `ip[6:2]`, `tcp[13]`, `pkt[0:4]`, `payload[0]`: bytes at an offset, as tcpdump writes
// them; and `vlan[1]` (`vlan[1].id`), the inner VLAN tag. The offset may be any number
// (a constant is checked here, a computed one at run time); the size must be written as
// 1, 2 or 4, because it decides the value's type.
import type { Expr, FieldAccess, IndexAccess } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { HEADERS } from '../packet/model.js';
import { MAX_PACKET_OFFSET, OFFSET_BASES, OFFSET_SIZES, offsetBaseOf, VLAN_TAGS } from '../packet/offsets.js';
import { closest } from '../util/did-you-mean.js';
import type { ExprTyper, Scope } from './infer.js';
import { bool, type Type, typeName, u16, u32, u8 } from '../model/types.js';

const OFFSET_NAMES = Object.keys(OFFSET_BASES).join(', ');
const SIZE_TYPES: Record<number, Type> = { 1: u8, 2: u16, 4: u32 };

export function typePacketIndex(typer: ExprTyper, e: IndexAccess, scope: Scope): Type | undefined {
  const object = e.object;
  if (object.kind === 'Ident' && object.name === 'vlan') return typeVlanTag(typer, e, scope);
  const base = object.kind === 'Ident' ? offsetBaseOf(object.name) : undefined;
  if (object.kind !== 'Ident' || !base) {
    const name = object.kind === 'Ident' ? object.name : undefined;
    const guess = name ? closest(name, Object.keys(OFFSET_BASES)) : undefined;
    return typer.report(
      E.NoByteOffsets,
      name ? `'${name}' takes no byte offsets` : 'only pkt, payload and header names take byte offsets [offset:size]',
      object,
      guess ? `did you mean '${guess}'?` : `byte offsets are read from ${OFFSET_NAMES}: ip[6:2], tcp[13], pkt[12:2]; a map key is @name[key]`,
    );
  }
  if (!hasPacket(scope)) return notInProbe(typer, `'${object.name}[...]'`, e, scope);
  const offsetType = typer.type(e.index, scope);
  const size = byteOffsetSize(typer, e);
  if (!offsetType) return undefined;
  if (offsetType.kind !== 'int') return typer.report(E.ByteOffsetRange, `a byte offset must be a number, not ${typeName(offsetType)}`, e.index);
  const constant = constantOf(e.index);
  if (constant !== undefined && (constant < 0n || constant > BigInt(MAX_PACKET_OFFSET))) {
    return typer.report(E.ByteOffsetRange, `byte offset ${constant} is outside any packet`, e.index, `offsets run from 0 to ${MAX_PACKET_OFFSET}, counted from the start of ${object.name === 'pkt' || object.name === 'eth' ? 'the frame' : `the ${object.name} header`}`);
  }
  return size === undefined ? undefined : SIZE_TYPES[size];
}

/** The size as written (`[n:2]`), 1 when there is none; undefined after a diagnostic. */
export function byteOffsetSize(typer: ExprTyper | undefined, e: IndexAccess): 1 | 2 | 4 | undefined {
  if (!e.size) return 1;
  const written = e.size.kind === 'Int' ? Number(e.size.value) : undefined;
  if (written !== undefined && (OFFSET_SIZES as readonly number[]).includes(written)) return written as 1 | 2 | 4;
  typer?.report(
    E.ByteOffsetSize,
    written === undefined ? 'the size of a byte offset must be written as a number: 1, 2 or 4' : `a byte offset reads 1, 2 or 4 bytes, not ${written}`,
    e.size,
    'as in tcpdump: ip[6:2] is two bytes in network order, tcp[13] one byte, ip[12:4] four; for other widths combine reads: (ip[0:4] << 16) | ip[4:2]',
  );
  return undefined;
}

/** `vlan[0]` is `vlan` (the outer tag), `vlan[1]` the inner one: a boolean, or fields after it. */
function typeVlanTag(typer: ExprTyper, e: IndexAccess, scope: Scope): Type | undefined {
  if (!hasPacket(scope)) return notInProbe(typer, `'vlan[...]'`, e, scope);
  if (vlanTagIndex(e) === undefined || e.size) {
    return typer.report(
      E.VlanTagIndex,
      e.size ? 'vlan[i] names a VLAN tag and takes no size' : 'vlan[i] takes 0 (the outer tag, the same as vlan) or 1 (the inner tag)',
      e.size ?? e.index,
      'write vlan[1].id for the inner tag\'s id; nettrace walks two tags, so there is no vlan[2]; for the tag\'s bytes use eth[14:2] / eth[18:2]',
    );
  }
  return bool;
}

/** The tag number of `vlan[i]`, when it is a literal the prologue walks. */
export function vlanTagIndex(e: IndexAccess): number | undefined {
  if (e.index.kind !== 'Int' || e.index.value < 0n || e.index.value >= BigInt(VLAN_TAGS)) return undefined;
  return Number(e.index.value);
}

/** `vlan[1].id`, `vlan[1].pcp`, `vlan[1].tpid`: the fields of `vlan`, for that tag. */
export function typeVlanTagField(typer: ExprTyper, e: FieldAccess & { object: IndexAccess }, scope: Scope): Type | undefined {
  const tag = e.object;
  if (tag.object.kind !== 'Ident' || tag.object.name !== 'vlan') {
    return typer.type(tag, scope) && typer.report(E.TypeMismatch, `a byte offset is a number and has no fields`, e);
  }
  if (!typer.type(tag, scope)) return undefined;
  const fields = HEADERS.vlan.fields;
  const spec = fields[e.name];
  if (spec) return spec.type;
  const guess = closest(e.name, Object.keys(fields));
  return typer.report(E.UnknownField, `vlan has no field '${e.name}'`, { ...e, span: e.nameSpan }, guess ? `did you mean '${guess}'?` : '', `vlan fields: ${Object.keys(fields).join(', ')}`);
}

function constantOf(e: Expr): bigint | undefined {
  if (e.kind === 'Int') return e.value;
  if (e.kind === 'Unary' && e.op === '-' && e.operand.kind === 'Int') return -e.operand.value;
  return undefined;
}

function hasPacket(scope: Scope): boolean {
  return scope.context === 'xdp' || scope.context === 'skb';
}

function notInProbe(typer: ExprTyper, what: string, e: Expr, scope: Scope): undefined {
  return typer.report(E.NotInThisProbe, `${what} cannot be read in ${scope.probeText}`, e, 'packet bytes exist in xdp and tc probes');
}
