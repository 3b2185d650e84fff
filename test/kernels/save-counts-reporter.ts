// Reporter for the first vitest run of `npm test` (unit and host kernel tests): saves its
// counts, so the kernel matrix's run (total-reporter.ts) can print the total of both.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter } from 'vitest/reporters';
import { COUNTS_FILE, countTests, type Task } from '../test-counts.js';

export default class SaveCountsReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    mkdirSync(new URL('.', COUNTS_FILE), { recursive: true });
    writeFileSync(COUNTS_FILE, JSON.stringify(countTests(files, errors)) + '\n');
  }
}
