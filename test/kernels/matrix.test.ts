// The kernel matrix as tests: one test per (kernel, case), so `npm test` counts each
// failure. The host's own kernel runs the cases first, directly; then each distribution
// kernel of vm/kernels.js boots once under QEMU and runs all its cases in that one boot,
// the three at the same time, one vCPU each (vm/qemu.js says why; README.md has the
// measured times: one after another they would take ~16 min on 2 cores).
// NETTRACE_KERNELS=host,6.1 runs some columns only (vm/kernels.js). At the end the results
// go to last-run.json and last-run.md; total-reporter.ts prints the table.
import { release } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import CASES from './cases/index.js';
import { matrixColumns } from './vm/kernels.js';
import { runMatrix } from './run-matrix.js';
import { writeLastRun } from './table.js';

type Result = { name: string; outcome: 'pass' | 'fail' | 'expected'; code?: string; message?: string };
type Report = { kernel: string; distribution?: string; package?: string; ms: number; results: Result[] };

/** A whole column waits in its first test: boot, every case, power-off. */
const COLUMN_TIMEOUT_MS = 40 * 60_000;
const started = Date.now();

const progress = (label: string) => (text: string) => process.stderr.write(text.replace(/^(?=.)/gm, `[${label}] `));

const hostLabel = `${/^\d+\.\d+/.exec(release())?.[0] ?? release()}-host`;
const names: string[] = matrixColumns();
const host: Promise<unknown> = names.includes('host') ? runMatrix('host', progress(hostLabel)) : Promise.resolve();
const columns: { label: string; report: Promise<Report> }[] = names.map((name) => ({
  label: name === 'host' ? hostLabel : name,
  // Guests after the host's run, so the host's timings are its own.
  report: name === 'host' ? (host as Promise<Report>) : host.catch(() => undefined).then(() => runMatrix(name, progress(name))),
}));
// A column that fails is reported by its tests; it must not also be an unhandled rejection.
for (const c of columns) c.report.catch(() => undefined);

for (const column of columns) {
  describe(column.label, () => {
    for (const c of CASES as { name: string }[]) {
      it(c.name, async () => {
        const report = await column.report;
        const result = report.results.find((r) => r.name === c.name);
        expect(result, 'the case runner did not report this case').toBeDefined();
        if (result!.outcome === 'fail') throw new Error(result!.message);
      }, COLUMN_TIMEOUT_MS);
    }
  });
}

afterAll(async () => {
  const settled = await Promise.allSettled(columns.map((c) => c.report));
  writeLastRun({
    date: new Date(started).toISOString().replace(/\.\d+Z$/, 'Z'),
    ms: Date.now() - started,
    columns: settled.map((s, i) =>
      s.status === 'fulfilled'
        ? { label: columns[i]!.label, release: s.value.kernel, distribution: s.value.distribution, package: s.value.package, ms: s.value.ms, results: s.value.results }
        : { label: columns[i]!.label, error: String(s.reason?.message ?? s.reason), results: [] },
    ),
  });
}, COLUMN_TIMEOUT_MS);
