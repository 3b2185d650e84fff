// BTF type records as nettrace uses them: one decoded entry of the type section each.
// The numbering follows include/uapi/linux/btf.h; type id 0 is `void` and never decoded.

export const BTF_KIND = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

export interface BtfInt {
  kind: 'int';
  id: number;
  name: string;
  /** Bytes the type takes. */
  size: number;
  /** Bits that hold the value (e.g. 1 for _Bool stored in a byte). */
  bits: number;
  signed: boolean;
  char: boolean;
  bool: boolean;
}

export interface BtfPtr {
  kind: 'ptr';
  id: number;
  type: number;
}

export interface BtfArray {
  kind: 'array';
  id: number;
  elem: number;
  nelems: number;
}

export interface BtfMember {
  /** '' for an anonymous struct or union member, whose own members are reached through it. */
  name: string;
  type: number;
  bitOffset: number;
  /** 0 unless the member is a bitfield. */
  bitSize: number;
}

export interface BtfStruct {
  kind: 'struct' | 'union';
  id: number;
  name: string;
  size: number;
  members: BtfMember[];
}

export interface BtfEnumValue {
  name: string;
  value: bigint;
}

export interface BtfEnum {
  kind: 'enum';
  id: number;
  name: string;
  size: number;
  signed: boolean;
  values: BtfEnumValue[];
}

export interface BtfFwd {
  kind: 'fwd';
  id: number;
  name: string;
  union: boolean;
}

/** typedef, const, volatile, restrict and type tags: a name or qualifier over `type`. */
export interface BtfAlias {
  kind: 'typedef' | 'const' | 'volatile' | 'restrict' | 'type_tag';
  id: number;
  name: string;
  type: number;
}

export interface BtfFunc {
  kind: 'func';
  id: number;
  name: string;
  /** The FUNC_PROTO. */
  type: number;
  /** 0 static, 1 global, 2 extern. */
  linkage: number;
}

export interface BtfParam {
  name: string;
  /** 0 for the `...` of a variadic function. */
  type: number;
}

export interface BtfFuncProto {
  kind: 'func_proto';
  id: number;
  returnType: number;
  params: BtfParam[];
}

export interface BtfOther {
  kind: 'var' | 'datasec' | 'float' | 'decl_tag';
  id: number;
  name: string;
}

export type BtfType = BtfInt | BtfPtr | BtfArray | BtfStruct | BtfEnum | BtfFwd | BtfAlias | BtfFunc | BtfFuncProto | BtfOther;

export type BtfKindName = BtfType['kind'];
