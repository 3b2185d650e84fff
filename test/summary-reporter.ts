// Prints one plain closing line, "N passed, N failed", after vitest's own report, so CI
// (and anyone reading logs) gets the totals in a form that needs no vitest knowledge.
import type { Reporter } from 'vitest/reporters';
import { countTests, countsLine, failureLines, type Task } from './test-counts.js';

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    const counts = countTests(files, errors);
    process.stdout.write(`\n${[countsLine(counts), ...failureLines('here', counts)].join('\n')}\n`);
  }
}
