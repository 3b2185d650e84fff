// Prints one plain closing line, "N passed, N failed", after vitest's own report, so CI
// (and anyone reading logs) gets the totals in a form that needs no vitest knowledge.
import type { Reporter } from 'vitest/reporters';

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: Task) => {
      if (task.tasks) task.tasks.forEach(visit);
      if (task.type !== 'test') return;
      const state = task.result?.state;
      if (state === 'pass') totals.passed++;
      else if (state === 'fail') totals.failed++;
      else totals.skipped++;
    };
    files.forEach(visit);
    // A file that failed to load has no tests but must still count as a failure.
    const brokenFiles = files.filter((f) => f.result?.state === 'fail' && !(f.tasks ?? []).length).length;
    totals.failed += brokenFiles + errors.length;
    const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
    process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
  }
}
