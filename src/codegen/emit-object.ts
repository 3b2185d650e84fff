// IR text to a BPF object through the native addon, with its refusals turned into
// diagnostics: a program over the 512-byte BPF stack is the user's to shrink (it names
// the probe); anything else the backend refuses is nettrace's bug, said as such.
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { NativeError } from '../native/errors.js';
import { emitObject } from '../native/emitter.js';
import type { GeneratedCode } from '../model/compiled-program.js';

export function emitProgramObject(code: GeneratedCode): Buffer {
  try {
    return emitObject(code.ir, Object.fromEntries(code.programs.map((p) => [p.functionName, p.section])));
  } catch (e) {
    if (!(e instanceof NativeError) || e.code !== 'INVALID_IR') throw e;
    const functions = new Set([...e.message.matchAll(/in function (\w+)/g)].map((m) => m[1]));
    const programs = code.programs.filter((p) => functions.has(p.functionName));
    if (/stack limit/i.test(e.message)) {
      const where = programs.length ? programs : code.programs;
      throw new DiagnosticError(
        where.map((p) =>
          error(E.ProgramTooLarge, `the program for ${p.probe.text} needs more than the 512 bytes of stack a BPF program has`, p.probe.span, 'split the block into several probes, or use fewer strings and printf() arguments per statement'),
        ),
      );
    }
    const first = e.message.split('\n').find((l) => l.trim().length > 0) ?? e.message;
    throw new DiagnosticError([error(E.CodegenFailed, `LLVM refused the generated code: ${first.trim()}`, programs[0]?.probe.span, 'this is a nettrace bug: please report it with the program')]);
  }
}
