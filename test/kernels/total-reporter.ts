// Reporter for the kernel matrix's vitest run, the last of `npm test`: prints the case ×
// kernel table this run wrote, the matrix's counts, and last the total with the host
// tests' counts (saved by save-counts-reporter.ts, and consumed here so that a later
// matrix run on its own does not add them again).
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Reporter } from 'vitest/reporters';
import { COUNTS_FILE, countTests, countsLine, failureLines, type Counts, type Task } from '../test-counts.js';
import { LAST_RUN_JSON, textTable } from './table.js';

export default class TotalReporter implements Reporter {
  private readonly started = Date.now();

  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    const out = (line = '') => process.stdout.write(`${line}\n`);
    if (existsSync(LAST_RUN_JSON) && statSync(LAST_RUN_JSON).mtimeMs >= this.started) {
      out();
      out(textTable(JSON.parse(readFileSync(LAST_RUN_JSON, 'utf8'))));
    }
    const matrix = countTests(files, errors);
    const host: Counts = existsSync(COUNTS_FILE) ? JSON.parse(readFileSync(COUNTS_FILE, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
    rmSync(COUNTS_FILE, { force: true });
    out();
    out(`kernel matrix: ${countsLine(matrix)}`);
    for (const line of [...failureLines('host', host), ...failureLines('matrix', matrix)]) out(line);
    out(`total: ${countsLine({ passed: host.passed + matrix.passed, failed: host.failed + matrix.failed, skipped: host.skipped + matrix.skipped })}`);
  }
}
