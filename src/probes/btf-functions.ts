// Kernel functions as BTF describes them: what fentry/fexit and kprobes resolve against.
import type { Btf } from '../btf/reader.js';
import { cTypeName } from '../btf/resolve.js';
import type { KernelEnv } from '../model/kernel-env.js';
import type { ProbeSpec } from '../model/ast.js';
import { E } from '../diagnostics/catalogue.js';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/did-you-mean.js';
import type { BtfArg } from '../model/probe-args.js';
import { globMatch, hasWildcard } from './glob.js';

const cache = new WeakMap<Btf, string[]>();

/** Every function in the kernel's BTF, sorted (about 56,000 on this kernel). */
export function btfFunctionNames(env: KernelEnv): string[] {
  const btf = env.btf?.();
  if (!btf) return [];
  let names = cache.get(btf);
  if (!names) {
    names = [...new Set([...btf.named('func')].map(([name]) => name))].sort();
    cache.set(btf, names);
  }
  return names;
}

export interface BtfFunction {
  name: string;
  params: BtfArg[];
  /** Undefined for a void function. */
  retval?: BtfArg;
}

export function btfFunction(btf: Btf, name: string): BtfFunction | undefined {
  const id = btf.find(name, 'func');
  const func = id === undefined ? undefined : btf.get(id);
  const proto = func?.kind === 'func' ? btf.get(func.type) : undefined;
  if (!proto || proto.kind !== 'func_proto') return undefined;
  const params = proto.params
    .filter((p) => p.type !== 0) // the `...` of a variadic function
    .map((p, i) => ({ name: p.name || `arg${i}`, btfType: p.type, ctype: cTypeName(btf, p.type) }));
  const retval = proto.returnType === 0 ? undefined : { name: 'retval', btfType: proto.returnType, ctype: cTypeName(btf, proto.returnType) };
  return { name, params, retval };
}

/**
 * The functions a probe spec names (FUNC, or a wildcard), or a diagnostic naming the
 * closest function when there is none.
 */
export function matchFunctions(spec: ProbeSpec, env: KernelEnv, kindName: string): { btf: Btf; names: string[] } | Diagnostic {
  if (spec.parts.length !== 1 || spec.parts[0] === '') {
    return error(E.BadProbeSpec, `'${spec.text}' needs one kernel function: ${kindName}:FUNCTION`, spec.span, `for example: ${kindName}:tcp_v4_rcv`);
  }
  const btf = env.btf?.();
  if (!btf) return error(E.ProbeNotSupported, `${spec.text} needs the kernel's BTF (/sys/kernel/btf/vmlinux), which this kernel does not have`, spec.span);
  const pattern = spec.parts[0];
  if (!hasWildcard(pattern)) {
    if (btf.find(pattern, 'func') !== undefined) return { btf, names: [pattern] };
    const guess = closest(pattern, btfFunctionNames(env));
    return error(E.NoSuchFunction, `the kernel has no function '${pattern}' in its BTF`, spec.span, guess ? `did you mean '${kindName}:${guess}'?` : '', `list them: nettrace -l '${kindName}:${pattern.slice(0, 3)}*'`);
  }
  const names = btfFunctionNames(env).filter((n) => globMatch(pattern, n));
  if (names.length === 0) return error(E.NoSuchFunction, `no kernel function matches '${pattern}'`, spec.span);
  return { btf, names };
}
