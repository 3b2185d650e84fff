// Types a classic tracepoint's fields from its format file: what `args.NAME` is and how
// to read it from the record.
//
// - integers of every size and sign, as the format says;
// - `__be16`/`__be32` fields are swapped to host order (the user never writes bswap);
// - `char x[N]` is a string, `__data_loc char[] x` a string stored after the record;
// - byte arrays of 4, 16 and 6 bytes are IPv4, IPv6 and MAC addresses: in network
//   tracepoints those are the only byte arrays there are (`__u8 saddr[4]`);
// - pointers are u64 values printed in hex; `(struct sock *)args.skaddr` gives access
//   to what they point at;
// - enums print by name: an `enum X` field through BTF's enum X, an integer field
//   that the kernel itself prints with `__print_symbolic` through that table (see
//   valueNames below).
import type { Btf } from '../btf/reader.js';
import { enumNames, findEnumByCName } from './btf-enums.js';
import { int, str, u64, u8, type EnumNames, type IntType, type Type } from '../model/types.js';
import type { FormatField, SymbolEntry, TracepointFormat } from '../tracefs/format.js';
import type { RecordArg } from '../model/probe-args.js';

/** Longest string read from a `__data_loc` field. */
const DATA_LOC_STRING_SIZE = 64;

export function recordArgs(format: TracepointFormat, btf: Btf | undefined): RecordArg[] {
  return format.fields.map((field) => recordArg(field, format, btf));
}

/** How `-lv` shows a field's C type: `__u8[4]`, `__data_loc char[]`. */
function fieldCType(field: FormatField): string {
  if (field.dataLoc) return `__data_loc ${field.ctype}[]`;
  return field.arrayLength !== undefined ? `${field.ctype}[${field.arrayLength}]` : field.ctype;
}

function recordArg(field: FormatField, format: TracepointFormat, btf: Btf | undefined): RecordArg {
  const base = { name: field.name, ctype: fieldCType(field) };
  const unsupported = (why: string): RecordArg => ({ ...base, unsupported: why });
  const { offset, size } = field;

  if (field.dataLoc) {
    if (!isChar(field.ctype)) return unsupported(`__data_loc arrays of ${field.ctype} cannot be read yet`);
    return { ...base, type: str(DATA_LOC_STRING_SIZE), read: { kind: 'dataLoc', offset, size: DATA_LOC_STRING_SIZE } };
  }
  if (field.arrayLength !== undefined) {
    const elementSize = field.arrayLength > 0 ? size / field.arrayLength : 0;
    if (isChar(field.ctype)) return { ...base, type: str(size), read: { kind: 'record', offset, size, as: { kind: 'bytes' } } };
    if (elementSize === 1 && size === 4) {
      return { ...base, type: int(32, false, 'ipv4'), read: { kind: 'record', offset, size, as: { kind: 'int', signed: false, bigEndian: true } } };
    }
    if (elementSize === 1 && (size === 16 || size === 6)) {
      return { ...base, type: { kind: 'bytes', size, show: size === 16 ? 'ipv6' : 'mac' }, read: { kind: 'record', offset, size, as: { kind: 'bytes' } } };
    }
    return unsupported(`arrays of ${field.arrayLength} × ${field.ctype} cannot be read yet`);
  }
  if (![1, 2, 4, 8].includes(size)) return unsupported(`a ${size}-byte field cannot be read yet`);
  const bigEndian = /^(const\s+)?__be(16|32|64)$/.test(field.ctype);
  const read = { kind: 'record' as const, offset, size, as: { kind: 'int' as const, signed: field.signed, ...(bigEndian ? { bigEndian } : {}) } };
  if (field.ctype.includes('*')) return { ...base, type: { ...u64, show: 'hex' }, read };
  if (/^(const\s+)?bool$/.test(field.ctype)) return { ...base, type: u8, read };
  const type: IntType = int((size * 8) as IntType['bits'], field.signed);
  const names = valueNames(field, format, btf);
  if (names) return { ...base, type: { ...type, show: 'enum', enum: names }, read };
  if (bigEndian && size === 4 && /addr$/.test(field.name)) return { ...base, type: { ...type, show: 'ipv4' }, read };
  return { ...base, type: type as Type, read };
}

/**
 * Value names of an integer field. An `enum X` field takes BTF's enum X. An integer
 * field the kernel prints with `__print_symbolic(REC->field, { 1, "TCP_ESTABLISHED" }, ...)`
 * takes that table, exactly the names the kernel's own trace output uses; a table
 * written with enumerator names (`{ TCP_SYN_SENT, "TCP_SYN_SENT" }`) gets its values
 * from BTF.
 */
function valueNames(field: FormatField, format: TracepointFormat, btf: Btf | undefined): EnumNames | undefined {
  const enumId = btf && findEnumByCName(btf, field.ctype);
  if (btf && enumId !== undefined) return enumNames(btf, enumId);
  const table = format.symbols[field.name];
  return table ? symbolNames(`${format.name}.${field.name}`, table, btf) : undefined;
}

export function symbolNames(name: string, table: SymbolEntry[], btf: Btf | undefined): EnumNames | undefined {
  const names: Record<string, string> = {};
  for (const entry of table) {
    const value = numericValue(entry.value) ?? btf?.findEnumerator(entry.value)?.value;
    if (value !== undefined && !(value.toString() in names)) names[value.toString()] = entry.name;
  }
  return Object.keys(names).length > 0 ? { name, names } : undefined;
}

function numericValue(text: string): bigint | undefined {
  const t = text.replace(/^\((.*)\)$/, '$1').trim();
  if (/^-?\d+$/.test(t)) return BigInt(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  return undefined;
}

function isChar(ctype: string): boolean {
  return /^(const\s+)?(signed\s+)?char$/.test(ctype);
}
