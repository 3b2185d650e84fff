// Boots a fetched kernel under QEMU with the host's / (read-only), the kernel's modules
// and a writable job folder shared over 9p, and waits for the guest to power off.
// TCG, not KVM: /dev/kvm exists on the machines this runs on, but a KVM guest hangs in
// early boot there (DESIGN.md). Every boot has a deadline; QEMU is killed when it passes,
// and dies with its parent (setpriv --pdeathsig) if the runner itself is killed.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';

/** QEMU's option syntax doubles commas inside a value. */
const qemuPath = (path) => realpathSync(path).replace(/,/g, ',,');

const share = (path, tag, readonly) =>
  ['-virtfs', `local,path=${qemuPath(path)},mount_tag=${tag},security_model=none${readonly ? ',readonly=on' : ''},multidevs=remap`];

/**
 * @param {{ vmlinuz: string, modules: string }} kernel
 * @param {{ initramfs: string, jobDir: string, console: string, timeoutMs: number, memory?: string }} o
 * @returns {Promise<{ timedOut: boolean, exit: number | string }>}
 */
export function boot(kernel, o) {
  const args = [
    '--pdeathsig', 'KILL', 'qemu-system-x86_64',
    // One vCPU per guest: the matrix boots its three guests at once on a 2-core machine.
    // With two vCPUs each (six vCPU threads on two cores) a guest ran 4-5 times slower
    // than alone, far more than its share of the CPU explains: a guest kernel spinning on
    // a lock held by a vCPU the host has descheduled, and QEMU's multi-threaded TCG making
    // every vCPU of a guest wait for the others whenever translated code is invalidated
    // (Node's JIT writes code all the time). A single vCPU has no sibling to wait for;
    // alone, a guest takes ~10% longer with one vCPU than with two (README.md, timings).
    '-accel', 'tcg,thread=multi', '-cpu', 'max', '-smp', '1', '-m', o.memory ?? '3G',
    '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-no-reboot',
    '-serial', `file:${o.console}`,
    '-kernel', kernel.vmlinuz, '-initrd', o.initramfs,
    // panic=-1 turns a panic into a reboot, which -no-reboot turns into QEMU exiting.
    '-append', 'console=ttyS0 panic=-1 quiet loglevel=4',
    ...share('/', 'hostroot', true),
    ...share(kernel.modules, 'modules', true),
    ...share(o.jobDir, 'job', false),
  ];
  const qemu = spawn('setpriv', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  qemu.stderr.on('data', (d) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    qemu.kill('SIGKILL');
  }, o.timeoutMs);
  return new Promise((resolve, reject) => {
    qemu.on('error', reject);
    qemu.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!timedOut && code !== 0) reject(new Error(`qemu exited with ${code ?? signal}:\n${stderr}`));
      else resolve({ timedOut, exit: code ?? signal });
    });
  });
}
