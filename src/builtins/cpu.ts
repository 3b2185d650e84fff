// cpu: which CPU the program runs on.
import { BPF_FUNC } from '../model/uapi.js';
import { u32 } from '../model/types.js';
import type { ValueBuiltin } from './builtin.js';

export const cpuBuiltin: ValueBuiltin = {
  name: 'cpu',
  type: u32,
  contexts: 'all',
  doc: 'the CPU the probe runs on',
  emit: (f) => f.m.callHelper(BPF_FUNC.get_smp_processor_id, f.m.i64, [], []),
};
