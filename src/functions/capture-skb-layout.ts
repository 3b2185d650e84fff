// Where the running kernel keeps what capture(SKB) reads: struct sk_buff's head, data,
// len, tail and header offsets, the device's ifindex and its namespace's inode number.
// From BTF, once per BTF.
import type { Btf } from '../btf/reader.js';
import { findMember, structOf } from '../btf/resolve.js';
import type { CaptureSkbLayout } from '../model/capture.js';
import type { Type } from '../model/types.js';

/** A `struct sk_buff *`, the argument capture(SKB) and pcap(SKB, "filter") read the packet through. */
export function isSkbPointer(type: Type): boolean {
  return type.kind === 'int' && type.pointer !== undefined && /^struct sk_buff\s*\*$/.test(type.pointer.ctype.trim());
}

const layouts = new WeakMap<Btf, CaptureSkbLayout | null>();

export function captureSkbLayout(btf: Btf): CaptureSkbLayout | undefined {
  let layout = layouts.get(btf);
  if (layout === undefined) {
    layout = computeLayout(btf) ?? null;
    layouts.set(btf, layout);
  }
  return layout ?? undefined;
}

/** Byte offset of a path of members from a struct (`nd_net`, `net`), with each member's type. */
function memberPath(btf: Btf, structId: number | undefined, path: string[]): { offset: number; type: number } | undefined {
  let offset = 0;
  let type = structId;
  for (const name of path) {
    const s = type === undefined ? undefined : structOf(btf, type);
    const found = s && findMember(btf, s, name);
    if (!found || found.member.bitSize !== 0 || found.bitOffset % 8 !== 0) return undefined;
    offset += found.bitOffset / 8;
    type = found.member.type;
  }
  return type === undefined ? undefined : { offset, type };
}

function computeLayout(btf: Btf): CaptureSkbLayout | undefined {
  const skb = btf.find('sk_buff', 'struct');
  const at = (name: string) => memberPath(btf, skb, [name])?.offset;
  const fields = { head: at('head'), data: at('data'), len: at('len'), tail: at('tail'), macHeader: at('mac_header'), networkHeader: at('network_header'), dev: at('dev') };
  if (Object.values(fields).some((v) => v === undefined)) return undefined;
  const netDevice = btf.find('net_device', 'struct');
  const ifindex = memberPath(btf, netDevice, ['ifindex'])?.offset;
  if (ifindex === undefined) return undefined;
  // possible_net_t holds `struct net *net` only with CONFIG_NET_NS.
  const net = memberPath(btf, netDevice, ['nd_net', 'net'])?.offset;
  const inum = memberPath(btf, btf.find('net', 'struct'), ['ns', 'inum'])?.offset;
  return { ...(fields as { [K in keyof typeof fields]: number }), ifindex, ...(net !== undefined && inum !== undefined && { net, inum }) };
}
