// The running machine, as the checker sees it. Each answer is read when first asked for
// and kept: a compile asks for the tracepoint list or BTF many times.
import { existsSync, readdirSync } from 'node:fs';
import { vmlinuxBtf } from '../btf/vmlinux.js';
import type { KernelEnv } from '../check/kernel-env.js';
import { listTracepoints, readTracepointFormat } from '../tracefs/events.js';
import { tracefsRoot } from '../tracefs/root.js';

let tracepointList: string[] | undefined;

export const liveEnv: KernelEnv = {
  interfaces() {
    try {
      return readdirSync('/sys/class/net').sort();
    } catch {
      return [];
    }
  },
  tracepoints() {
    tracepointList ??= listTracepoints();
    return tracepointList;
  },
  tracepointFormat(category, name) {
    return readTracepointFormat(category, name);
  },
  btf() {
    return vmlinuxBtf();
  },
  kprobesAvailable() {
    // A kernel with kprobes has the perf `kprobe` PMU (what a BPF kprobe link attaches
    // through) and tracefs's kprobe_events; this machine's kernel has neither.
    const root = tracefsRoot();
    return existsSync('/sys/bus/event_source/devices/kprobe') || (root !== undefined && existsSync(`${root}/kprobe_events`));
  },
};
