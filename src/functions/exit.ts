// exit(): stop tracing. The program raises the exit word and sends a record, then
// returns at once (statements after exit() do not run). User space detaches, runs END
// probes and prints the maps, as on Ctrl-C.
import { argumentCount, type CallStatement } from './call.js';

export const exitFunction: CallStatement = {
  name: 'exit',
  signature: 'exit()',
  doc: 'stops tracing: the probe returns at once, END runs, the maps print; as in bpftrace, lines probes printed after the exit (they fired again before the detach) are not shown',
  check(c) {
    argumentCount(c, 0, 0, this.signature);
  },
  emit({ f, emitExitRequest }) {
    emitExitRequest();
    f.m.b.CreateBr(f.exit);
    // Whatever the caller emits next is unreachable; give it a block of its own.
    f.m.b.SetInsertPoint(f.newBlock('after_exit'));
  },
};
