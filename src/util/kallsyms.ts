// The kernel's symbol table, /proc/kallsyms, read once per process: kaddr("name") looks a
// symbol's address up when a program is compiled, ksym() and kstack look the symbol an
// address lies in up when user space prints it. Addresses read as zero without root (or
// with kptr_restrict), which makes the table useless; callers say so.

import { readFileSync } from 'node:fs';

export interface KernelSymbol {
  address: bigint;
  name: string;
}

/** Where a kernel address lies: a symbol and the offset into it. */
export interface SymbolPlace {
  name: string;
  offset: bigint;
}

let table: { sorted: KernelSymbol[]; byName: Map<string, bigint> } | undefined;
let source = '/proc/kallsyms';

/** Tests point the table at a file of their own; the next lookup reads it. */
export function useKallsymsFile(path: string): void {
  source = path;
  table = undefined;
}

function load(): { sorted: KernelSymbol[]; byName: Map<string, bigint> } {
  if (table) return table;
  let text = '';
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    // No table (not Linux, or hidden): nothing resolves.
  }
  const symbols: KernelSymbol[] = [];
  const byName = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    // `ffffffff81000000 T _stext`, and module symbols with `\t[module]` after the name.
    const [hex, , name] = line.split(/\s+/, 3);
    if (!name) continue;
    const address = BigInt(`0x${hex}`);
    if (address === 0n) continue;
    symbols.push({ address, name });
    if (!byName.has(name)) byName.set(name, address);
  }
  // Stable: of several names at one address, the first in the file wins.
  symbols.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  table = { sorted: symbols, byName };
  return table;
}

/** The address of a kernel symbol, or undefined when the table has no such name (or hides addresses). */
export function kernelSymbolAddress(name: string): bigint | undefined {
  return load().byName.get(name);
}

/** Every symbol name, for did-you-mean. */
export function kernelSymbolNames(): string[] {
  return [...load().byName.keys()];
}

/** The symbol `address` lies in (the nearest one at or below it), or undefined below the first. */
export function kernelSymbolAt(address: bigint): SymbolPlace | undefined {
  const { sorted } = load();
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid].address <= address) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (found === -1) return undefined;
  // The first name at that address, as the file lists them.
  while (found > 0 && sorted[found - 1].address === sorted[found].address) found--;
  return { name: sorted[found].name, offset: address - sorted[found].address };
}
