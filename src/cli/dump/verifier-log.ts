// -d verifier: each program loaded into the kernel's verifier (nothing attached, as
// --dry-run) and the log it wrote, under the program's probe.
import type { CompiledProgram } from '../../model/compiled-program.js';

export async function verifierLogs(compiled: CompiledProgram, unsafe: boolean): Promise<string> {
  const { Session } = await import('../../runtime/session.js');
  const logs: string[] = [];
  // Log level 2: the verifier writes its instruction-by-instruction log even when it accepts.
  const session = Session.start(compiled, {
    attach: false,
    allowTrafficChanges: unsafe,
    verifierLogLevel: 2,
    onVerifierLog: (program, log) => logs.push(`${program.probe.text} (${program.section}):\n${log.endsWith('\n') ? log : `${log}\n`}`),
  });
  session.close();
  return logs.join('\n');
}
