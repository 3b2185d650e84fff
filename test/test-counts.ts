// Counts a vitest run's tests (a file that failed to load, and an error outside tests,
// count as failures) for the reporters: the plain closing line (summary-reporter.ts), and
// the host tests' counts carried over to the kernel matrix's run and its total
// (test/kernels/save-counts-reporter.ts, total-reporter.ts).
export type Task = { type: string; result?: { state?: string }; tasks?: Task[] };
export type Counts = { passed: number; failed: number; skipped: number };

export function countTests(files: Task[] = [], errors: unknown[] = []): Counts {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const visit = (task: Task) => {
    task.tasks?.forEach(visit);
    if (task.type !== 'test') return;
    const state = task.result?.state;
    if (state === 'pass') counts.passed++;
    else if (state === 'fail') counts.failed++;
    else counts.skipped++;
  };
  files.forEach(visit);
  counts.failed += files.filter((f) => f.result?.state === 'fail' && !(f.tasks ?? []).length).length + errors.length;
  return counts;
}

/** Where the first vitest run of `npm test` leaves its counts for the second. */
export const COUNTS_FILE = new URL('../.cache/host-test-counts.json', import.meta.url);

export const countsLine = (c: Counts) => `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
