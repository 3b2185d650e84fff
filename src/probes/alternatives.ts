// Probes that cover the same ground as a kernel function, for when the kernel refuses
// to attach to the function itself (fentry, kprobe): the tracepoints and raw
// tracepoints whose names share the most distinctive words with the function's name.
// tcp_v4_rcv shares "rcv" and "tcp" with tcp:tcp_rcv_space_adjust; a word that many
// names share ("tcp") counts for less than a rare one ("rcv").
import type { KernelEnv } from '../model/kernel-env.js';
import { rawTracepointNames } from './rawtracepoint-names.js';

export function alternativeProbes(func: string, env: KernelEnv, limit = 5): string[] {
  // One candidate per event: the classic tracepoint when there is one (its name says its
  // category), else the raw tracepoint.
  const events = new Map<string, string>();
  for (const name of rawTracepointNames(env)) events.set(name, `rawtracepoint:${name}`);
  for (const tp of env.tracepoints?.() ?? []) {
    const [, name] = tp.split(':');
    if (name) events.set(name, `tracepoint:${tp}`);
  }
  const candidates = [...events].map(([name, probe]) => ({ probe, words: words(name) }));
  const wanted = new Set(words(func));
  if (wanted.size === 0 || candidates.length === 0) return [];
  const frequency = new Map<string, number>();
  for (const c of candidates) for (const w of new Set(c.words)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const scored = candidates
    .map((c) => {
      const shared = [...new Set(c.words)].filter((w) => wanted.has(w));
      const score = shared.reduce((sum, w) => sum + Math.log(candidates.length / frequency.get(w)!), 0);
      return { probe: c.probe, score, shared: shared.length };
    })
    .filter((c) => c.shared > 0)
    .sort((a, b) => b.score - a.score || a.probe.length - b.probe.length || (a.probe < b.probe ? -1 : 1));
  return scored.slice(0, limit).map((c) => c.probe);
}

function words(name: string): string[] {
  return name.toLowerCase().split(/[_\W]+/).filter((w) => w.length > 1);
}

/** The hint that names them, as fentry and kprobe diagnostics print it. */
export function alternativesHint(target: string, near: string[]): string[] {
  if (near.length === 0) return [`tracepoints and raw tracepoints work here: nettrace -l 'tracepoint:*'`];
  return [
    `probes near ${target} that this kernel can attach: ${near.join(', ')}`,
    `a tracepoint:CATEGORY:NAME is also rawtracepoint:NAME, whose args are the kernel's typed structs (args.skb->len)`,
  ];
}
