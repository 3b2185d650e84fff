// The running machine, as the checker sees it.
import { readdirSync } from 'node:fs';
import type { KernelEnv } from '../check/kernel-env.js';

export const liveEnv: KernelEnv = {
  interfaces() {
    try {
      return readdirSync('/sys/class/net').sort();
    } catch {
      return [];
    }
  },
};
