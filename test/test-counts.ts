// Counts a vitest run's tests for the reporters: the plain closing line
// (summary-reporter.ts), and the host tests' counts carried over to the kernel matrix's
// run and its total (test/kernels/save-counts-reporter.ts, total-reporter.ts). A file that
// failed to load, a hook that threw and an error outside tests count as failures. Each
// failure keeps its name and the first line of its error, because CI shows only the end
// of the log: the last lines must say what failed, not only how many.
export type Task = {
  type: string;
  name?: string;
  filepath?: string;
  result?: { state?: string; errors?: { message?: string }[] };
  tasks?: Task[];
};
export type Counts = { passed: number; failed: number; skipped: number; failures?: string[] };

const firstLine = (text = '') => text.split('\n', 1)[0].slice(0, 200);
const errorText = (error: unknown) => firstLine(error instanceof Error ? error.message : typeof error === 'object' && error && 'message' in error ? String(error.message) : String(error));

export function countTests(files: Task[] = [], errors: unknown[] = []): Counts {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] as string[] };
  const fail = (path: string[], error: unknown) => {
    counts.failed++;
    counts.failures.push(`${path.join(' > ')}: ${errorText(error)}`);
  };
  const visit = (task: Task, path: string[]) => {
    const here = [...path, task.name ?? task.filepath ?? '?'];
    const failedBefore = counts.failed;
    task.tasks?.forEach((child) => visit(child, here));
    const state = task.result?.state;
    if (task.type === 'test') {
      if (state === 'pass') counts.passed++;
      else if (state === 'fail') fail(here, task.result?.errors?.[0]);
      else counts.skipped++;
    } else if (state === 'fail' && counts.failed === failedBefore) {
      // A file that did not load, or a beforeAll/afterAll that threw while its tests passed.
      fail(here, task.result?.errors?.[0]);
    }
  };
  for (const file of files) visit(file, []); // a file is a suite named by its path
  for (const error of errors) fail(['error outside a test'], error);
  return counts;
}

/** Where the first vitest run of `npm test` leaves its counts for the second. */
export const COUNTS_FILE = new URL('../.cache/host-test-counts.json', import.meta.url);

export const countsLine = (c: Counts) => `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;

/** The lines naming each failure, to print under a counts line. */
export const failureLines = (label: string, c: Counts) => (c.failures ?? []).map((failure) => `  failed (${label}): ${failure}`);
