// cat(fmt, args...) and system(fmt, args...), as bpftrace has them: the formatted text is
// a file whose contents print (cat) or a shell command whose output prints (system),
// done by user space when the event arrives. Both act as root on the machine, so, as in
// bpftrace, a program with them runs only with --unsafe (src/runtime/unsafe-calls.ts).
// They are printf records whose site says what to do with the text.
import type { CallStatement } from './call.js';
import { printfFunction } from './printf.js';

const EXAMPLES = { cat: 'cat("/proc/%d/status", pid)', system: 'system("ss -tnp | grep pid=%d,", pid)' };

function runsText(kind: 'cat' | 'system', doc: string): CallStatement {
  return {
    name: kind,
    signature: `${kind}(fmt, args...)`,
    doc,
    // The format and its arguments are printf's; its messages name this function.
    check: (c) =>
      printfFunction.check({
        ...c,
        report: (entry, message, span, ...hints) => c.report(entry, message.replaceAll('printf()', `${kind}()`), span, ...hints.map((h) => (h.startsWith('for example: printf(') ? `for example: ${EXAMPLES[kind]}` : h))),
      }),
    emit(c) {
      const before = c.f.outputs.printfs.length;
      printfFunction.emit(c);
      const site = c.f.outputs.printfs[before];
      if (site) site.run = { kind, span: c.call.span };
    },
  };
}

export const catFunction = runsText('cat', 'prints the contents of the file the formatted text names (only with --unsafe)');
export const systemFunction = runsText('system', 'runs the formatted text as a shell command and prints its output (only with --unsafe)');
