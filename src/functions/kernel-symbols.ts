// ksym(addr) and kaddr("name"), as bpftrace has them:
// - ksym(addr): addr printed as the name of the kernel symbol it lies in (tcp_v4_rcv),
//   looked up in /proc/kallsyms when user space prints it;
// - kaddr("name"): the address of a kernel symbol, looked up in /proc/kallsyms when the
//   program is compiled (the compiled-program cache is per boot, so a cached address is
//   still this boot's).
import { E } from '../diagnostics/catalogue.js';
import { argCount } from '../aggregations/args.js';
import { closest } from '../util/did-you-mean.js';
import { kernelSymbolAddress, kernelSymbolNames } from '../util/kallsyms.js';
import { typeName, u64 } from '../model/types.js';
import type { ValueFunction } from './value-function.js';

export const ksymFunction: ValueFunction = {
  name: 'ksym',
  signature: 'ksym(addr)',
  doc: 'addr as the name of the kernel symbol it lies in (from /proc/kallsyms); an address in none prints in hex',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const t = c.argTypes[0];
    if (!t) return undefined;
    if (t.kind !== 'int') return c.report(E.TypeMismatch, `ksym() needs an address (an integer), not ${typeName(t)}`, c.call.args[0].span);
    return { kind: 'int', bits: 64, signed: false, show: 'ksym' };
  },
  emit: ({ args: [x] }) => x,
};

export const kaddrFunction: ValueFunction = {
  name: 'kaddr',
  signature: 'kaddr("name")',
  doc: 'the address of a kernel symbol, from /proc/kallsyms when the program is compiled',
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    const [name] = c.call.args;
    if (name.kind !== 'Str') return c.report(E.BadArgument, 'the argument of kaddr() must be a string literal: kaddr("tcp_v4_rcv")', name.span);
    if (kernelSymbolAddress(name.value) === undefined) {
      const guess = kernelSymbolAddress('_stext') === undefined ? undefined : closestSymbol(name.value);
      return c.report(
        E.UnknownKernelSymbol,
        `kernel symbol '${name.value}' not found in /proc/kallsyms`,
        name.span,
        guess ? `did you mean '${guess}'?` : 'addresses read as 0 without root; grep the name in /proc/kallsyms',
      );
    }
    return u64;
  },
  emit: ({ f, call }) => f.m.i64Const(kernelSymbolAddress((call.args[0] as { value: string }).value) ?? 0n),
};

/** A near name for a misspelt one, among symbols that share its first three letters (kallsyms has 100k+). */
function closestSymbol(name: string): string | undefined {
  const prefix = name.slice(0, 3);
  return closest(name, kernelSymbolNames().filter((n) => n.startsWith(prefix)));
}
