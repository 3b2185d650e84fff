// The compiler, one line per stage. Each stage is its own folder with its own tests;
// the stage results are exposed so `-d` can show them and the bench can time them.
import type { Program } from './model/ast.js';
import type { CheckedProgram } from './model/checked.js';
import { check } from './check/index.js';
import { substitutePositional } from './check/positional.js';
import { applyPidFilter } from './check/pid-filter.js';
import { refuseChildPidWithoutCommand } from './check/child-pid.js';
import type { KernelEnv } from './model/kernel-env.js';
import { generate } from './codegen/index.js';
import type { CompiledProgram, GeneratedCode } from './model/compiled-program.js';
import { parse } from './parser/index.js';
import { emitProgramObject } from './codegen/emit-object.js';
import { mapOrigins } from './codegen/map-origins.js';

export interface StageTimings {
  parseMs: number;
  checkMs: number;
  codegenMs: number;
  emitMs: number;
}

export interface Compilation {
  ast: Program;
  checked: CheckedProgram;
  code: GeneratedCode;
  compiled: CompiledProgram;
  timings: StageTimings;
}

export interface CompileOptions {
  /** Positional parameters: `$1` in a probe is params[0] (src/check/positional.ts). */
  params?: string[];
  /** -F: a pcap-filter expression every xdp and tc probe applies before its blocks. */
  filter?: string;
  /** -p: only process PID's events, in the probes where a process has a meaning (check/pid-filter.ts). */
  pid?: number;
  /** --snaplen: the most bytes capture() copies of one packet (src/codegen/capture.ts). */
  snaplen?: number;
  /**
   * -c: a command runs, so `cpid` can be read (check/child-pid.ts). Only whether: the pid
   * is written into a map at load time, so one cache entry serves every run.
   */
  childCommand?: boolean;
  /** -k: report each map update the kernel refuses as it happens (codegen/map-full.ts). */
  reportHelperErrors?: boolean;
}

export function compileStages(text: string, env: KernelEnv, options: CompileOptions = {}): Compilation {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - t;
    t = now;
    return elapsed;
  };
  const ast = applyPidFilter(substitutePositional(parse(text), options.params ?? []), options.pid);
  const parseMs = lap();
  const checked = check(ast, env);
  refuseChildPidWithoutCommand(ast, options.childCommand);
  const checkMs = lap();
  const code = generate(checked, { filter: options.filter, snaplen: options.snaplen, reportHelperErrors: options.reportHelperErrors });
  const origins = mapOrigins(ast, text);
  for (const map of code.maps) map.origin = origins.get(map.displayName === '@' ? '' : map.displayName.slice(1));
  const codegenMs = lap();
  const object = emitProgramObject(code);
  const emitMs = lap();
  return { ast, checked, code, compiled: { ...code, object }, timings: { parseMs, checkMs, codegenMs, emitMs } };
}

export function compile(text: string, env: KernelEnv, options: CompileOptions = {}): CompiledProgram {
  return compileStages(text, env, options).compiled;
}
