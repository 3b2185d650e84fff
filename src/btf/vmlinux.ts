// The running kernel's own BTF, read once per process when first needed.
import { readFileSync } from 'node:fs';
import { Btf } from './reader.js';

const VMLINUX_BTF_PATH = '/sys/kernel/btf/vmlinux';

let cached: Btf | null | undefined;

/** The kernel's BTF, or undefined when this kernel does not expose it (CONFIG_DEBUG_INFO_BTF off). */
export function vmlinuxBtf(): Btf | undefined {
  if (cached === undefined) {
    try {
      cached = new Btf(readFileSync(VMLINUX_BTF_PATH));
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
