// The compiled program for a run: from the cache when this program was compiled before on
// this kernel by this build, otherwise from the compiler, which is imported only then, so
// a cache hit loads neither chevrotain, llvm-bindings nor LLVM (docs/architecture.md,
// "Compiled-program cache").
import { readdirSync } from 'node:fs';
import type { CompiledProgram } from '../model/compiled-program.js';
import type { CompileOptions } from '../compile.js';
import { openProgramCache } from '../cache/open.js';
import { preloadLibrary } from '../native/bpf.js';
import { LLVM_LIBRARY } from '../native/emitter.js';

export interface ProgramSourceOptions {
  /**
   * What the compiler is given besides the text (positional parameters, the -F filter):
   * all of it is part of the cache key, so an option added to CompileOptions is too.
   */
  compile: CompileOptions;
  /** --no-cache: neither read nor write the cache. */
  noCache: boolean;
  /** -v: say on stderr whether the cache answered, and why not. */
  log?: (line: string) => void;
}

export async function obtainProgram(text: string, options: ProgramSourceOptions): Promise<CompiledProgram> {
  const opened = options.noCache ? undefined : openProgramCache();
  if (opened && 'unavailable' in opened) options.log?.(`cache: not used: ${opened.unavailable}`);
  const open = opened && 'cache' in opened ? opened : undefined;
  // NETTRACE_DISABLE hides kernel features from the checker (kprobes), so it is part of
  // the key too: a program compiled with a feature is not reused without it.
  const key = open?.keyOf(text, { ...options.compile, NETTRACE_DISABLE: process.env.NETTRACE_DISABLE });
  if (open && key !== undefined) {
    const found = open.cache.lookup(key);
    if ('hit' in found) {
      const gone = missingInterfaces(found.hit);
      if (gone.length === 0) {
        options.log?.(`cache: hit in ${open.cache.dir}`);
        return found.hit;
      }
      // The checker reports a missing interface with its position and a did-you-mean.
      options.log?.(`cache: not used: no interface ${gone.join(', ')}`);
    } else {
      options.log?.(`cache: miss (${found.miss})`);
    }
  }
  // LLVM's shared library is dlopen()ed on libuv's pool while the compiler's modules
  // load and the parser and checker run (codegen/llvm.ts loads llvm-bindings only when
  // codegen begins): 5-10 ms off a cold start here (docs/benchmarks.md).
  void preloadLibrary(LLVM_LIBRARY);
  const [{ compile }, { liveEnv }] = await Promise.all([import('../compile.js'), import('../runtime/live-env.js')]);
  const compiled = compile(text, liveEnv, options.compile);
  if (open && key !== undefined && open.cache.store(key, compiled)) options.log?.(`cache: saved in ${open.cache.dir}`);
  return compiled;
}

/**
 * Interfaces a cached program attaches to that are not here now. Interfaces are named in
 * the compiled program and resolved to an index only when attaching, so one that was
 * deleted and made again (a new index) is fine; one that is gone is left to the checker.
 */
function missingInterfaces(compiled: CompiledProgram): string[] {
  let present: Set<string>;
  try {
    present = new Set(readdirSync('/sys/class/net'));
  } catch {
    present = new Set();
  }
  const named = compiled.programs.flatMap((p) => ('ifname' in p.probe.attach ? [p.probe.attach.ifname] : []));
  return [...new Set(named)].filter((name) => !present.has(name));
}
