// nettrace's value types. A type remembers what a value *is* (an IPv4 address, an IP
// protocol number, TCP flags), not just its width, so every value can print itself.

/** How an integer prints. Plain numbers have no `show`. */
export type IntShow =
  | 'ipv4' // u32 in host order, printed as a dotted quad
  | 'ipproto' // u8: tcp, udp, icmp ...
  | 'ethproto' // u16: ipv4, ipv6, arp, vlan ...
  | 'tcpflags' // u8: SYN|ACK
  | 'hex'
  | 'enum' // a kernel enum or a tracepoint's symbolic field: printed by name (IntType.enum)
  | 'strftime' // u64 nanoseconds of the monotonic clock, printed as wall-clock time (IntType.timeFormat)
  | 'ksym' // a kernel address, printed as the name of the kernel symbol it is in
  | 'username' // a uid, printed as its user name from /etc/passwd
  | 'kstack'; // a stack id of the program's stack map, printed as the symbolised frames (IntType.stackFrames)

/**
 * Value names of a kernel enum (`enum skb_drop_reason`) or of a tracepoint field the
 * kernel prints symbolically. Resolved from BTF and tracefs when the program is
 * compiled, so a compiled program prints names without asking the kernel again.
 */
export interface EnumNames {
  /** `enum skb_drop_reason`, or `inet_sock_set_state.newstate` for a tracepoint's table. */
  name: string;
  /** Decimal value -> name. */
  names: Record<string, string>;
}

export interface IntType {
  kind: 'int';
  bits: 8 | 16 | 32 | 64;
  signed: boolean;
  show?: IntShow;
  /** With show 'enum': the names its values print as. */
  enum?: EnumNames;
  /**
   * A kernel pointer typed by BTF (shown as hex): the pointed-to type's id and how C writes
   * the pointer, so `->field` can be checked against the running kernel's BTF.
   */
  pointer?: { btfType: number; ctype: string };
  /** With show 'strftime': the strftime(3) format it prints with; `now` prints the time it is printed at (time()). */
  timeFormat?: { format: string; now?: boolean };
  /** With show 'kstack': how many frames print at most (kstack(N)). */
  stackFrames?: number;
}

export interface BoolType {
  kind: 'bool';
}

export interface StrType {
  kind: 'str';
  /** Bytes including the terminating NUL. */
  size: number;
}

/** Fixed-size byte strings that print as addresses. Stored in network order. */
export interface BytesType {
  kind: 'bytes';
  size: number;
  /** 'buf': raw bytes of buf(), printed escaped by %r and as hex by %rx. */
  show: 'ipv6' | 'mac' | 'buf';
}

export type Type = IntType | BoolType | StrType | BytesType;

export const u8: IntType = { kind: 'int', bits: 8, signed: false };
export const u16: IntType = { kind: 'int', bits: 16, signed: false };
export const u32: IntType = { kind: 'int', bits: 32, signed: false };
export const u64: IntType = { kind: 'int', bits: 64, signed: false };
export const s64: IntType = { kind: 'int', bits: 64, signed: true };
export const bool: BoolType = { kind: 'bool' };

export function int(bits: IntType['bits'], signed: boolean, show?: IntShow): IntType {
  return show ? { kind: 'int', bits, signed, show } : { kind: 'int', bits, signed };
}

/** Bytes a value of this type takes in a map key, a value or an event. */
export function sizeOf(t: Type): number {
  switch (t.kind) {
    case 'int':
      return t.bits / 8;
    case 'bool':
      return 1;
    case 'str':
    case 'bytes':
      return t.size;
  }
}

/** Natural alignment inside keys and events: integers align to their size, byte strings to 1. */
export function alignOf(t: Type): number {
  return t.kind === 'int' ? t.bits / 8 : 1;
}

/** A string of `size` bytes, the terminating NUL included. */
export function str(size: number): StrType {
  return { kind: 'str', size };
}

export function sameType(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'int': {
      const bi = b as IntType;
      return a.bits === bi.bits && a.signed === bi.signed && a.show === bi.show && a.enum?.name === bi.enum?.name && a.timeFormat?.format === bi.timeFormat?.format && a.stackFrames === bi.stackFrames;
    }
    case 'str':
    case 'bytes':
      return a.size === (b as StrType | BytesType).size && (a.kind === 'str' || a.show === (b as BytesType).show);
    default:
      return true;
  }
}

export function typeName(t: Type): string {
  switch (t.kind) {
    case 'int': {
      const base = `${t.signed ? 's' : 'u'}${t.bits}`;
      if (t.pointer) return t.pointer.ctype;
      if (t.enum) return `${t.enum.name} (${base})`;
      return t.show && t.show !== 'hex' ? `${t.show} (${base})` : base;
    }
    case 'bool':
      return 'bool';
    case 'str':
      return `string[${t.size}]`;
    case 'bytes':
      return t.show === 'ipv6' ? 'ipv6 address' : t.show === 'mac' ? 'mac address' : `buffer[${t.size}]`;
  }
}
