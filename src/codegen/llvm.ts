// The one place that loads llvm-bindings, so the rest of codegen imports a typed handle.
// It is loaded on first use, not when the compiler's modules are imported: a cold compile
// parses and checks the program first, while LLVM's shared library is dlopen()ed on
// another thread (cli/program-source.ts), and finds it ready when codegen begins.
import { createRequire } from 'node:module';
import type * as LLVM from 'llvm-bindings';

let loaded: typeof LLVM | undefined;
const load = (): typeof LLVM => (loaded ??= createRequire(import.meta.url)('llvm-bindings') as typeof LLVM);

export const llvm: typeof LLVM = new Proxy({} as typeof LLVM, {
  get: (_, name) => Reflect.get(load(), name),
  has: (_, name) => Reflect.has(load(), name),
});
export type { LLVM };
