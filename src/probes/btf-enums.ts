// Kernel enums as value names for printing (`enum skb_drop_reason` 3 prints NO_SOCKET).
import type { EnumNames } from '../model/types.js';
import type { Btf } from '../btf/reader.js';
import { resolved } from '../btf/resolve.js';

/**
 * The names of an enum's values. An enumerator that repeats its enum's name as a prefix
 * loses it: in `enum skb_drop_reason`, SKB_DROP_REASON_NO_SOCKET prints as NO_SOCKET
 * (the kernel's own tracepoint output does the same), while SKB_CONSUMED, which does not
 * start with SKB_DROP_REASON_, stays as it is. Where two names share a value the first
 * one wins, as the kernel's __print_symbolic does.
 */
export function enumNames(btf: Btf, typeId: number): EnumNames | undefined {
  const t = resolved(btf, typeId);
  if (!t || t.kind !== 'enum') return undefined;
  const prefix = t.name ? `${t.name.toUpperCase()}_` : '';
  const names: Record<string, string> = {};
  for (const v of t.values) {
    const key = v.value.toString();
    if (key in names) continue;
    const stripped = prefix && v.name.startsWith(prefix) && v.name.length > prefix.length ? v.name.slice(prefix.length) : v.name;
    names[key] = stripped;
  }
  return { name: t.name ? `enum ${t.name}` : 'enum (anon)', names };
}

/** `enum skb_drop_reason` -> its BTF id (the format files write tracepoint fields this way). */
export function findEnumByCName(btf: Btf, ctype: string): number | undefined {
  const m = /^(?:const\s+)?enum\s+([A-Za-z_][A-Za-z0-9_]*)$/.exec(ctype.trim());
  return m ? btf.find(m[1], 'enum') : undefined;
}
