#!/usr/bin/env node
// Developer entry point to the kernel matrix's machinery:
//
//   node test/kernels/vm.js fetch [--kernel 6.1]      fetch (or find cached) kernels
//   node test/kernels/vm.js run --kernel 6.1 [--timeout 600] -- COMMAND [ARGS...]
//       boots that kernel under QEMU, runs COMMAND inside it (as root, in the current folder,
//       on this machine's filesystem and built checkout), prints its output and exits
//       with its status (124 when the timeout passed, 125 when the guest died first).
//
// The matrix itself: `npm test` runs it after the host tests (test/kernels/matrix.test.ts).
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { fetchKernel } from './vm/fetch.js';
import { KERNELS, kernelByName } from './vm/kernels.js';
import { preloadFiles } from './vm/preload.js';
import { runInKernel } from './vm/run-in-kernel.js';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const USAGE = 'usage: vm.js fetch [--kernel K]... | vm.js run --kernel K [--timeout SECONDS] -- COMMAND [ARGS...]';

// Ctrl-C: exit through process.exit, so run-in-kernel's exit handler removes its folder
// (QEMU dies with this process).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const log = (line) => process.stderr.write(`vm: ${line}\n`);

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { kernel: { type: 'string', multiple: true }, timeout: { type: 'string', default: '600' } },
  });
  const [command, ...rest] = positionals;
  const kernels = values.kernel ? values.kernel.map(kernelByName) : KERNELS;
  if (command === 'fetch' && rest.length === 0) {
    for (const k of kernels) {
      const started = Date.now();
      const fetched = await fetchKernel(k, log);
      log(`${k.name}: ${fetched.release} (${fetched.package} ${fetched.version}) in ${fetched.vmlinuz.replace(/\/root\/boot\/.*/, '')}, ${Date.now() - started} ms`);
    }
    return 0;
  }
  if (command === 'run' && rest.length > 0 && values.kernel?.length === 1) {
    const kernel = await fetchKernel(kernels[0], log);
    const r = await runInKernel(kernel, rest, {
      preload: preloadFiles(CHECKOUT),
      timeoutMs: Number(values.timeout) * 1000,
      onStderr: (text) => process.stderr.write(text),
    });
    process.stdout.write(r.stdout);
    if (r.status !== null) return r.status;
    log(r.timedOut ? `timed out after ${values.timeout} s; the guest's console ended with:` : "the guest stopped before the command finished; its console:");
    process.stderr.write(r.console.replace(/\r/g, '').split('\n').slice(-40).join('\n') + '\n');
    return r.timedOut ? 124 : 125;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    log(e.message);
    process.exit(1);
  },
);
