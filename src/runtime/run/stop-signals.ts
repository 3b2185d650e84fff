// How a run on the command line is stopped from outside: Ctrl-C (SIGINT), SIGTERM,
// SIGHUP, or --timeout. (The REPL stops its programs with .detach; those signals end
// the whole REPL, see repl/start-repl.tsx.)

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Calls `stop` once, on the first of those signals or after `timeoutSeconds`, and keeps
 * the process alive until then. Returns the function that stops listening.
 */
export function stopOnSignals(stop: () => void, timeoutSeconds?: number): () => void {
  // Without a timeout the timer only keeps Node alive: nothing else may, for a probe
  // that has not fired yet.
  const timer = timeoutSeconds !== undefined ? setTimeout(fire, timeoutSeconds * 1000) : setInterval(() => {}, 1 << 30);
  for (const s of SIGNALS) process.on(s, fire);
  function dispose(): void {
    clearTimeout(timer);
    clearInterval(timer);
    for (const s of SIGNALS) process.off(s, fire);
  }
  function fire(): void {
    dispose();
    stop();
  }
  return dispose;
}
