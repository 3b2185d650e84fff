#!/usr/bin/env node
// The matrix's results as tables: case × kernel (printed at the end of `npm test`, kept in
// last-run.md and last-run.json next to this file), and the README's "Supported kernels"
// table, kernel × probe kind, rewritten from the last run between its markers:
//
//   node test/kernels/table.js            print the last run's table
//   node test/kernels/table.js --readme   rewrite README.md between
//                                         <!-- kernels:begin --> and <!-- kernels:end -->
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAST_RUN_JSON = fileURLToPath(new URL('./last-run.json', import.meta.url));
const LAST_RUN_MD = fileURLToPath(new URL('./last-run.md', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const BEGIN = '<!-- kernels:begin -->';
const END = '<!-- kernels:end -->';

/**
 * @typedef {{ label: string, release?: string, distribution?: string, package?: string, ms?: number, error?: string,
 *             results: { name: string, kind?: string, outcome: 'pass' | 'fail' | 'expected', code?: string }[] }} Column
 * @typedef {{ date: string, ms: number, columns: Column[] }} LastRun
 */

const cell = (r) => (!r ? 'FAIL' : r.outcome === 'pass' ? 'pass' : r.outcome === 'expected' ? `expected ${r.code}` : 'FAIL');

/** Rows of [case, ...one cell per kernel], cases in the order they ran. */
function caseRows(run) {
  const names = [...new Set(run.columns.flatMap((c) => c.results.map((r) => r.name)))];
  return names.map((name) => [name, ...run.columns.map((c) => cell(c.results.find((r) => r.name === name)))]);
}

function markdown(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function summary(run) {
  const kernels = run.columns.map((c) => `${c.label}: ${c.release ?? '?'}${c.ms ? `, ${Math.round(c.ms / 1000)} s` : ''}${c.error ? ` (did not finish: ${c.error.split('\n')[0]})` : ''}`);
  return `Kernel matrix, ${run.date}, ${Math.round(run.ms / 1000)} s in all. ${kernels.join('; ')}.`;
}

/** The case × kernel table as fixed-width text, for the terminal. */
export function textTable(run) {
  const rows = [['case', ...run.columns.map((c) => c.label)], ...caseRows(run)];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return [...rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()), '', summary(run)].join('\n');
}

/** last-run.md: the same table in Markdown. */
function markdownTable(run) {
  return `# Kernel matrix: last run\n\nWritten by test/kernels/matrix.test.ts (\`npm test\`); do not edit.\n\n${summary(run)}\n\n${markdown(['case', ...run.columns.map((c) => c.label)], caseRows(run))}\n`;
}

/** One probe kind on one kernel: yes, refused (with the code), N of M, or FAIL. */
function supportCell(results) {
  if (results.length === 0 || results.some((r) => r.outcome === 'fail')) return 'FAIL';
  const refused = results.filter((r) => r.outcome === 'expected');
  const codes = [...new Set(refused.map((r) => r.code))].join(', ');
  if (refused.length === 0) return 'yes';
  if (refused.length === results.length) return `refused (${codes})`;
  return `${results.length - refused.length} of ${results.length} (${refused.length} refused: ${codes})`;
}

/** The README's table: kernel × probe kind (the cases' `kind`), from the last run. */
function supportTable(run) {
  const kinds = [...new Set(run.columns.flatMap((c) => c.results.map((r) => r.kind).filter(Boolean)))];
  const kernel = (c) => `${c.label}${c.distribution ? ` (${c.distribution})` : ''}: ${c.release ?? 'did not run'}`;
  const rows = run.columns.map((c) => [kernel(c), ...kinds.map((k) => supportCell(c.results.filter((r) => r.kind === k)))]);
  return [
    `Last run: ${run.date}; every case and its result: [test/kernels/last-run.md](test/kernels/last-run.md).`,
    '',
    markdown(['kernel', ...kinds], rows),
  ].join('\n');
}

export function writeLastRun(run) {
  writeFileSync(LAST_RUN_JSON, JSON.stringify(run, null, 2) + '\n');
  writeFileSync(LAST_RUN_MD, markdownTable(run));
}

function rewriteReadme(run) {
  const text = readFileSync(README, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${BEGIN} ... ${END} section`);
  writeFileSync(README, `${text.slice(0, begin + BEGIN.length)}\n${supportTable(run)}\n${text.slice(end)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const run = JSON.parse(readFileSync(LAST_RUN_JSON, 'utf8'));
  if (process.argv.includes('--readme')) rewriteReadme(run);
  else console.log(textTable(run));
}
