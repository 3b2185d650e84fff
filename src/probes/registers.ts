// Where a kprobe finds a function's arguments: the registers the calling convention
// passes them in, saved in struct pt_regs. The offsets come from the running kernel's
// BTF rather than a table, so a kernel whose pt_regs differs is read correctly or, on an
// architecture nettrace does not know, refused clearly.
import type { Btf } from '../btf/reader.js';
import { findMember, structOf } from '../btf/resolve.js';
import type { Registers } from '../model/probe-args.js';

/** x86-64 System V: the first six integer arguments, in order; the return value in ax. */
const X86_64_ARGS = ['di', 'si', 'dx', 'cx', 'r8', 'r9'];
const X86_64_RETVAL = 'ax';

/** Offsets of the argument and return registers in struct pt_regs, or undefined. */
export function kprobeRegisters(btf: Btf): Registers | undefined {
  const id = btf.find('pt_regs', 'struct');
  const regs = id === undefined ? undefined : structOf(btf, id);
  if (!regs) return undefined;
  const offset = (name: string) => {
    const found = findMember(btf, regs, name);
    return found ? found.bitOffset / 8 : undefined;
  };
  const args = X86_64_ARGS.map(offset);
  const retval = offset(X86_64_RETVAL);
  if (retval === undefined || args.some((a) => a === undefined)) return undefined;
  return { args: args as number[], retval };
}
