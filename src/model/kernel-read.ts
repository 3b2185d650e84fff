// How to read a value out of the kernel: the checker's plan for an expression rooted at
// `args`, `retval` or a pointer cast, which codegen turns into loads. Plain data (offsets
// and sizes already looked up in BTF or the tracepoint format), so codegen never asks
// the kernel anything.
import type { Expr } from './ast.js';
import type { HeaderName } from './header-name.js';
import type { ResolvedProbe } from './probe.js';

/** How the bytes read become a value. */
export type ReadAs =
  /** An integer; `bigEndian` ones (`__be16`, `__u8 saddr[4]`) are swapped to host order. */
  | { kind: 'int'; signed: boolean; bigEndian?: boolean; bitOffset?: number; bitSize?: number }
  /** Bytes kept as they are: a fixed char array (a string), an IPv6 or MAC address. */
  | { kind: 'bytes' }
  /** A NUL-terminated string read up to `size` bytes (bpf_probe_read_kernel_str). */
  | { kind: 'cstring' };

/** Where a kernel pointer comes from: another read, or any expression (a cast's operand). */
export type PointerSource = { read: KernelRead } | { expr: Expr };

/** Offsets inside struct sk_buff the packet model needs, from the running kernel's BTF. */
export interface SkbLayout {
  len: number;
  head: number;
  protocol: number;
  networkHeader: number;
  macHeader: number;
}

export type KernelRead =
  /** A field of a classic tracepoint's record, which is the program's context. */
  | { kind: 'record'; offset: number; size: number; as: ReadAs }
  /** `__data_loc char[]`: a u32 at `offset` locates a string stored after the record. */
  | { kind: 'dataLoc'; offset: number; size: number }
  /** A saved register of a kprobe's context (struct pt_regs), `offset` bytes in: its low `size` bytes. */
  | { kind: 'register'; offset: number; size: number; as: ReadAs }
  /** Argument `index` of a BTF-typed probe (tp_btf, fentry/fexit): the context is a u64 array. */
  | { kind: 'arg'; index: number; size: number; as: ReadAs }
  /** `size` bytes at `offset` past a kernel pointer, read with bpf_probe_read_kernel. */
  | { kind: 'deref'; pointer: PointerSource; offset: number; size: number; as: ReadAs }
  /** A packet header field (or, with no field, "has this header") through an sk_buff pointer. */
  | { kind: 'skb'; skb: PointerSource; layout: SkbLayout; header: HeaderName; field?: string };

/** Per expression, per probe: how to read it. A wildcard's probes can lay a field out differently. */
export type KernelReads = Map<Expr, Map<ResolvedProbe, KernelRead>>;
