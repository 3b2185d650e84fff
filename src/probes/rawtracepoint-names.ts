// The raw (BTF-typed) tracepoints of the running kernel: every `btf_trace_NAME` typedef
// in vmlinux BTF is one, and its target is what a tp_btf program attaches to.
import type { Btf } from '../btf/reader.js';
import type { KernelEnv } from '../model/kernel-env.js';

const TYPEDEF_PREFIX = 'btf_trace_';
const cache = new WeakMap<Btf, string[]>();

export function rawTracepointNames(env: KernelEnv): string[] {
  const btf = env.btf?.();
  if (!btf) return [];
  let names = cache.get(btf);
  if (!names) {
    names = [];
    for (const [name] of btf.named('typedef')) if (name.startsWith(TYPEDEF_PREFIX)) names.push(name.slice(TYPEDEF_PREFIX.length));
    names.sort();
    cache.set(btf, names);
  }
  return names;
}

/** The BTF typedef of a raw tracepoint, or undefined when the kernel has no such tracepoint. */
export function rawTracepointTypedef(btf: Btf, name: string): number | undefined {
  return btf.find(TYPEDEF_PREFIX + name, 'typedef');
}
