// The running machine, as the checker sees it. Each answer is read when first asked for
// and kept: a compile asks for the tracepoint list or BTF many times.
import { readdirSync } from 'node:fs';
import { vmlinuxBtf } from '../btf/vmlinux.js';
import { hasFeature } from './features.js';
import type { KernelEnv } from '../model/kernel-env.js';
import { listTracepoints, readTracepointFormat } from '../tracefs/events.js';
import { tracefsProblem } from '../tracefs/root.js';

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
  tracefsProblem() {
    return tracefsProblem();
  },
  tracepointFormat(category, name) {
    return readTracepointFormat(category, name);
  },
  btf() {
    return vmlinuxBtf();
  },
  kprobesAvailable() {
    return hasFeature('kprobes');
  },
  xdpLoadBytes() {
    return hasFeature('xdpLoadBytes');
  },
};
