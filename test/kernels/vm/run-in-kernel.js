// Runs one command inside a kernel of the matrix and returns what it printed and its exit
// status. The command runs in the guest as PID 1's child, in the host's own filesystem
// (so the host's node, node_modules and built checkout), as root, in the same working
// directory. Its output comes back through the job share; the per-run folder is removed
// afterwards, also when the runner exits early (QEMU itself dies with its parent).
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInitramfs } from './initramfs.js';
import { boot } from './qemu.js';

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** The guest's PID 1 once init.sh is done: run the command, record its status, power off. */
function guestScript(command, cwd, env) {
  return [
    '#!/bin/sh',
    ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
    `cd ${quote(cwd)} && ${command.map(quote).join(' ')} </dev/null >/run/vm/stdout 2>/run/vm/stderr`,
    'echo $? >/run/vm/status',
    'sync',
    'echo o >/proc/sysrq-trigger',
    'sleep 60',
    '',
  ].join('\n');
}

const readOr = (file, fallback) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
};

/** Calls `onData` with what is appended to `file` (written by the guest through 9p) as it grows. */
function follow(file, onData) {
  let offset = 0;
  const poll = () => {
    let fd;
    try {
      fd = openSync(file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const buf = Buffer.alloc(65536);
      for (let n; (n = readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) onData(buf.subarray(0, n).toString());
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(poll, 500);
  return () => {
    clearInterval(timer);
    poll();
  };
}

/**
 * @param {import('./fetch.js').FetchedKernel} kernel
 * @param {string[]} command
 * @param {{ cwd?: string, env?: Record<string, string>, preload?: string[], timeoutMs?: number,
 *           onStderr?: (text: string) => void }} [options]
 *   preload: absolute real paths (see preload.js); onStderr: the command's stderr, live
 * @returns {Promise<{ status: number | null, stdout: string, stderr: string, timedOut: boolean, console: string, ms: number }>}
 *   status is null when the command never finished (timeout, guest crash); ms is the
 *   whole VM's run time, boot and power-off included.
 */
export async function runInKernel(kernel, command, { cwd = process.cwd(), env = {}, preload = [], timeoutMs = 600_000, onStderr } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nettrace-vm-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeDir);
  const jobDir = join(dir, 'job');
  const stopFollowing = onStderr ? follow(join(jobDir, 'stderr'), onStderr) : () => {};
  try {
    mkdirSync(jobDir);
    writeFileSync(join(jobDir, 'guest.sh'), guestScript(command, cwd, { PATH: process.env.PATH, HOME: '/root', LANG: 'C.UTF-8', ...env }));
    buildInitramfs(kernel, join(dir, 'initramfs.cpio'), preload);
    const started = Date.now();
    const { timedOut } = await boot(kernel, { initramfs: join(dir, 'initramfs.cpio'), jobDir, console: join(dir, 'console.log'), timeoutMs });
    const status = readOr(join(jobDir, 'status'), '').trim();
    return {
      status: status === '' ? null : Number(status),
      stdout: readOr(join(jobDir, 'stdout'), ''),
      stderr: readOr(join(jobDir, 'stderr'), ''),
      timedOut,
      console: readOr(join(dir, 'console.log'), ''),
      ms: Date.now() - started,
    };
  } finally {
    stopFollowing();
    removeDir();
    process.off('exit', removeDir);
  }
}
