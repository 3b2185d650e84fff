// What the checker may ask of the kernel it compiles for. The runtime passes the live
// machine (src/runtime/live-env.ts); unit tests pass a fake. Keeping this an interface is
// what lets a compiled program be built and tested without privileges.
//
// Everything past interfaces() is optional, so a fake that only knows interfaces still
// works: probe kinds that need tracefs or BTF then say that this environment lacks them.
//
// src/btf/ is a reader of the kernel's file format that knows nothing of nettrace, a layer
// below this one, so naming its Btf type here points down.
import type { Btf } from '../btf/reader.js';

export interface KernelEnv {
  /** Names of the network interfaces that exist. */
  interfaces(): string[];
  /** Every tracepoint as `category:name`. */
  tracepoints?(): string[];
  /** Why no tracepoint can be seen, in words for a hint (tracefs/root.ts). */
  tracefsProblem?(): string;
  /** The text of a tracepoint's tracefs format file, or undefined when it does not exist. */
  tracepointFormat?(category: string, name: string): string | undefined;
  /** The kernel's BTF (/sys/kernel/btf/vmlinux), or undefined when the kernel has none. */
  btf?(): Btf | undefined;
  /**
   * Whether the kernel can attach kprobes, asked of the running system (tracefs's
   * kprobe_events, the perf `kprobe` PMU), never inferred from the kernel version.
   */
  kprobesAvailable?(): boolean;
  /** Whether XDP programs may call bpf_xdp_load_bytes (5.18), which capture() at xdp needs. */
  xdpLoadBytes?(): boolean;
}
