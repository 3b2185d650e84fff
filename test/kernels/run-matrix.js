// Runs the matrix's cases (runner/run-cases.js) on one kernel and returns its report:
// directly on the host for 'host', otherwise inside that kernel booted under QEMU, one
// boot for all the cases.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fetchKernel } from './vm/fetch.js';
import { kernelByName } from './vm/kernels.js';
import { preloadFiles } from './vm/preload.js';
import { runInKernel } from './vm/run-in-kernel.js';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = ['test/kernels/runner/run-cases.js'];
/** A whole kernel's cases, boot included: about 6-8 minutes under TCG (README.md), with room for a slow machine. */
const VM_TIMEOUT_MS = 30 * 60_000;

/**
 * @typedef {{ kernel: string, features: Record<string, boolean> | null,
 *             results: { name: string, kind?: string, outcome: 'pass' | 'fail' | 'expected', code?: string, message?: string, ms: number }[] }} Report
 */

function parseReport(stdout, stderr, where) {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`the case runner on ${where} printed no report.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
}

function onHost(onProgress) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, RUNNER, { cwd: CHECKOUT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      onProgress(String(d));
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(parseReport(out, err, 'the host'));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/**
 * @param {string} name 'host' or a kernel of vm/kernels.js
 * @param {(text: string) => void} onProgress the runner's progress lines as they come
 * @returns {Promise<Report & { ms: number, distribution?: string, package?: string }>} package: the Debian package booted
 */
export async function runMatrix(name, onProgress = () => {}) {
  const started = Date.now();
  if (name === 'host') return { ...(await onHost(onProgress)), ms: Date.now() - started };
  const k = kernelByName(name);
  const kernel = await fetchKernel(k, (line) => onProgress(`${line}\n`));
  const r = await runInKernel(kernel, [process.execPath, ...RUNNER], { cwd: CHECKOUT, preload: preloadFiles(CHECKOUT), timeoutMs: VM_TIMEOUT_MS, onStderr: onProgress });
  if (r.status === null) {
    const console = r.console.replace(/\r/g, '').split('\n').slice(-30).join('\n');
    throw new Error(`${name}: the guest ${r.timedOut ? 'timed out' : 'stopped'} before the cases finished.\nstderr:\n${r.stderr}\nconsole:\n${console}`);
  }
  return { ...parseReport(r.stdout, r.stderr, name), distribution: k.distribution, package: `${kernel.package} ${kernel.version}`, ms: Date.now() - started };
}
