#!/usr/bin/env node
// The matrix's runner, run inside each guest kernel (and directly on the host): runs
// every case of test/kernels/cases/ one after another, in this kernel, as root. Prints a
// progress line per case on stderr and, at the end, one JSON object on stdout:
//   { kernel, features, results: [{ name, kind?, outcome: 'pass' | 'fail' | 'expected',
//     code?, message?, ms }] }
// Serial on purpose: some cases count events machine-wide (kprobe:icmp_rcv), which
// another case's traffic would disturb.
//
//   node test/kernels/runner/run-cases.js [--only SUBSTRING]
import { release } from 'node:os';
import { parseArgs } from 'node:util';
import CASES from '../cases/index.js';
import { createContext, Refused } from './context.js';
import { runToEnd } from './nettrace.js';

const CASE_TIMEOUT_MS = 240_000;

/** The kernel's features as nettrace itself reports them; decides which cases must be refused. */
async function kernelFeatures() {
  const r = await runToEnd(['--info', '-f', 'json']);
  try {
    return { features: JSON.parse(r.stdout).features };
  } catch {
    return { error: `nettrace --info -f json failed (status ${r.code}):\n${r.stderr}${r.stdout}` };
  }
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the case did not finish in ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runCase(c, info) {
  const started = Date.now();
  const result = { name: c.name, kind: c.kind };
  let t;
  try {
    if (c.refusal && !info.features) throw new Error(info.error);
    const refusal = c.refusal?.(info.features);
    t = createContext(info.features, refusal);
    await withTimeout(c.run(t), CASE_TIMEOUT_MS);
    if (refusal) throw new Error(`expected ${refusal}, but the case never ran nettrace`);
    result.outcome = 'pass';
  } catch (e) {
    if (e instanceof Refused) Object.assign(result, { outcome: 'expected', code: e.code, message: e.diagnostic });
    else Object.assign(result, { outcome: 'fail', message: e instanceof Error ? e.message : String(e) });
  } finally {
    await t?.cleanup();
  }
  result.ms = Date.now() - started;
  return result;
}

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const cases = CASES.filter((c) => !values.only || c.name.includes(values.only));
const info = await kernelFeatures();
process.stderr.write(`kernel ${release()}: ${info.features ? JSON.stringify(info.features) : info.error}\n`);
const results = [];
for (const c of cases) {
  const r = await runCase(c, info);
  results.push(r);
  const label = r.outcome === 'expected' ? `expected ${r.code}` : r.outcome === 'pass' ? 'pass' : 'FAIL';
  process.stderr.write(`${label.padEnd(16)} ${c.name} (${(r.ms / 1000).toFixed(1)} s)\n`);
  if (r.outcome === 'fail') process.stderr.write(`${r.message.replace(/^/gm, '    ')}\n`);
}
process.stdout.write(JSON.stringify({ kernel: release(), features: info.features ?? null, results }) + '\n');
// Sockets or timers a case left behind must not keep the guest from powering off.
process.exit(0);
