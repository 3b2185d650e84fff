// What the running kernel offers, each feature probed once per process, when first asked,
// and kept. Diagnostics, the attach step (tcx or clsact), the checker's kprobe question
// and `nettrace --info` all read this one answer, so they cannot disagree. Lazily,
// because some probes cost: the trampoline probe parses the kernel's BTF.
import { release } from 'node:os';
import * as native from '../native/bpf.js';
import type { KernelFeatures } from '../native/bpf.js';

export type { KernelFeatures };

const probed: Partial<KernelFeatures> = {};

/**
 * NETTRACE_DISABLE=tcx,... makes nettrace act as if the kernel lacked those features:
 * to use the fallback (clsact filters) on a kernel that has tcx, and to test it there.
 */
function disabled(): Set<string> {
  return new Set((process.env.NETTRACE_DISABLE ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

export function hasFeature(name: keyof KernelFeatures): boolean {
  probed[name] ??= !disabled().has(name) && native.probeFeature(name);
  return probed[name]!;
}

/** Every feature (for --info). */
export function kernelFeatures(): KernelFeatures {
  const all = {} as KernelFeatures;
  for (const name of Object.keys(FEATURE_NOTES) as (keyof KernelFeatures)[]) all[name] = hasFeature(name);
  return all;
}

/** One line per feature for `nettrace --info`: what it is and what nettrace does without it. */
const FEATURE_NOTES: Record<keyof KernelFeatures, { what: string; without: string }> = {
  btf: { what: 'kernel BTF (/sys/kernel/btf/vmlinux)', without: 'no rawtracepoint, fentry/fexit, kprobe args or enum names' },
  ringbuf: { what: 'BPF ring buffer', without: 'no printf or print() events' },
  perfLink: { what: 'BPF links for perf events', without: 'tracepoints, kprobes and intervals attach by ioctl (still detached on exit)' },
  tcx: { what: 'tcx links', without: 'tc probes attach as clsact cls_bpf filters, removed on exit or by nettrace --cleanup' },
  kprobes: { what: 'kprobes (kprobe PMU)', without: 'kprobe/kretprobe refused (NT0206)' },
  kprobeMulti: { what: 'kprobe_multi links', without: 'each function of a kprobe wildcard is its own attachment' },
  trampolines: { what: 'BPF trampolines', without: 'fentry/fexit refused (NT0206)' },
  batchOps: { what: 'batched map lookups', without: 'maps are read key by key' },
  xdpLoadBytes: { what: 'bpf_xdp_load_bytes', without: 'capture() at xdp refused (NT0442): capture at tc instead' },
};

/** `nettrace --info` as text. */
export function infoText(version: string, features: KernelFeatures): string {
  const lines = [`nettrace ${version}`, `kernel ${release()}`, '', 'features:'];
  const width = Math.max(...Object.values(FEATURE_NOTES).map((n) => n.what.length));
  for (const [name, note] of Object.entries(FEATURE_NOTES) as [keyof KernelFeatures, (typeof FEATURE_NOTES)[keyof KernelFeatures]][]) {
    const has = features[name];
    lines.push(`  ${note.what.padEnd(width)}  ${has ? 'yes' : 'no '}${has ? '' : `  (${note.without})`}`);
  }
  return lines.join('\n') + '\n';
}

/** `nettrace --info -f json`: one object. */
export function infoJson(version: string, features: KernelFeatures): string {
  return JSON.stringify({ nettrace: version, kernel: release(), features }) + '\n';
}
