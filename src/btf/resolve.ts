// Questions nettrace asks of BTF types: what a typedef or qualifier stands for, where a
// member of a struct sits (through anonymous members), how a type is written in C.
import type { Btf } from './reader.js';
import type { BtfMember, BtfStruct, BtfType } from './types.js';

/** Follows typedefs, const, volatile, restrict and type tags to the type they name. */
export function skipAliases(btf: Btf, id: number): number {
  for (let depth = 0; depth < 64; depth++) {
    const t = btf.get(id);
    if (!t || (t.kind !== 'typedef' && t.kind !== 'const' && t.kind !== 'volatile' && t.kind !== 'restrict' && t.kind !== 'type_tag')) return id;
    id = t.type;
  }
  return id;
}

/** The type behind aliases; undefined for void. */
export function resolved(btf: Btf, id: number): BtfType | undefined {
  return btf.get(skipAliases(btf, id));
}

/**
 * A struct/union behind aliases, completing a forward declaration (`struct sock;`) with
 * the full definition of the same name when there is one.
 */
export function structOf(btf: Btf, id: number): BtfStruct | undefined {
  const t = resolved(btf, id);
  if (!t) return undefined;
  if (t.kind === 'struct' || t.kind === 'union') return t;
  if (t.kind === 'fwd') {
    const full = btf.find(t.name, t.union ? 'union' : 'struct');
    const def = full === undefined ? undefined : btf.get(full);
    return def && (def.kind === 'struct' || def.kind === 'union') ? def : undefined;
  }
  return undefined;
}

export interface FoundMember {
  member: BtfMember;
  /** Bit offset from the start of the outer struct (anonymous members add theirs). */
  bitOffset: number;
}

/** Finds `name` in a struct or union, looking inside anonymous struct/union members as C does. */
export function findMember(btf: Btf, s: BtfStruct, name: string): FoundMember | undefined {
  for (const m of s.members) {
    if (m.name === name) return { member: m, bitOffset: m.bitOffset };
    if (m.name === '') {
      const inner = structOf(btf, m.type);
      const found = inner && findMember(btf, inner, name);
      if (found) return { member: found.member, bitOffset: m.bitOffset + found.bitOffset };
    }
  }
  return undefined;
}

/** Every member name reachable from `s` (anonymous members flattened), for suggestions. */
export function memberNames(btf: Btf, s: BtfStruct): string[] {
  const names: string[] = [];
  for (const m of s.members) {
    if (m.name !== '') names.push(m.name);
    else {
      const inner = structOf(btf, m.type);
      if (inner) names.push(...memberNames(btf, inner));
    }
  }
  return names;
}

/** Bytes of a type (pointers 8, arrays elements × count); 0 for void and functions. */
export function sizeOfType(btf: Btf, id: number): number {
  const t = resolved(btf, id);
  if (!t) return 0;
  switch (t.kind) {
    case 'int':
    case 'enum':
    case 'struct':
    case 'union':
      return t.size;
    case 'ptr':
      return 8;
    case 'array':
      return t.nelems * sizeOfType(btf, t.elem);
    default:
      return 0;
  }
}

/** How C would write the type: `struct sock *`, `const char[16]`, `u32`. */
export function cTypeName(btf: Btf, id: number): string {
  return declarator(btf, id, '').trim();
}

function declarator(btf: Btf, id: number, inner: string, depth = 0): string {
  if (depth > 32) return `?${inner}`;
  const t = btf.get(id);
  if (!t) return `void${inner}`;
  switch (t.kind) {
    case 'int':
    case 'float':
      return `${t.name}${inner}`;
    case 'struct':
    case 'union':
      return `${t.kind} ${t.name || '(anon)'}${inner}`;
    case 'enum':
      return `enum ${t.name || '(anon)'}${inner}`;
    case 'fwd':
      return `${t.union ? 'union' : 'struct'} ${t.name}${inner}`;
    case 'typedef':
      return `${t.name}${inner}`;
    case 'const':
    case 'volatile':
    case 'restrict':
      return `${t.kind} ${declarator(btf, t.type, inner, depth + 1)}`;
    case 'type_tag':
      return declarator(btf, t.type, inner, depth + 1);
    case 'ptr': {
      const target = btf.get(t.type);
      if (target?.kind === 'func_proto') return declarator(btf, t.type, ` (*${inner.trim()})`, depth + 1);
      return declarator(btf, t.type, ` *${inner.trim() ? inner.trim() : ''}`, depth + 1);
    }
    case 'array':
      return declarator(btf, t.elem, `${inner}[${t.nelems}]`, depth + 1);
    case 'func_proto': {
      const params = t.params.map((p) => (p.type === 0 ? '...' : cTypeName(btf, p.type))).join(', ');
      return declarator(btf, t.returnType, `${inner}(${params})`, depth + 1);
    }
    default:
      return `${t.name}${inner}`;
  }
}
