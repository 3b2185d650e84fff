// kstack(N): the kernel stack's first N frames (bpftrace's kstack(N); the builtin kstack,
// without parentheses, is src/builtins/kernel-stack.ts). Each N has a stack map that
// keeps N frames, so @[kstack(3)] counts stacks by their first three frames.
import { E } from '../diagnostics/catalogue.js';
import { argCount, constantArg } from '../aggregations/args.js';
import { KERNEL_STACK_FRAMES } from '../model/kernel-stacks.js';
import { literalValue } from '../model/literal-value.js';
import { emitKernelStackId, kernelStackType, STACK_CONTEXT_HINT, STACK_CONTEXTS } from '../builtins/kernel-stack.js';
import type { ValueFunction } from './value-function.js';

export const kstackFunction: ValueFunction = {
  name: 'kstack',
  signature: 'kstack(N)',
  doc: `the kernel stack the probe fired on, at most N frames (1..${KERNEL_STACK_FRAMES})`,
  check(c) {
    if (!argCount(c, 1, this.signature)) return undefined;
    if (c.context && !STACK_CONTEXTS.includes(c.context)) return c.report(E.NotInThisProbe, 'kstack cannot be read in this probe', c.call.span, STACK_CONTEXT_HINT);
    const n = constantArg(c, 0, 'the number of frames');
    if (n === undefined) return undefined;
    if (n < 1n || n > BigInt(KERNEL_STACK_FRAMES)) return c.report(E.BadArgument, `kstack() keeps 1 to ${KERNEL_STACK_FRAMES} frames, not ${n}`, c.call.args[0].span);
    return kernelStackType(Number(n));
  },
  emit: ({ f, call }) => emitKernelStackId(f, Number(literalValue(call.args[0]))),
};
