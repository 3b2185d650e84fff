// The checker is importable without LLVM or the native addon: a checker-only tool
// (completion, a language server, the fuzzer's vocabulary) must not pay for loading
// either. Checked on the build in dist/ (`npm test` builds it first), in a fresh Node
// process, so nothing this test process already loaded can hide a load.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Records every native module Node opens (process.dlopen: llvm-bindings' .node, and
 * nettrace's addon) and every CommonJS module loaded (require.cache), then runs `body`.
 */
async function loadsOf(body: string): Promise<{ dlopened: string[]; required: string[] }> {
  const script = `
    import { createRequire } from 'node:module';
    const dlopened = [];
    const dlopen = process.dlopen;
    process.dlopen = function (module, filename, ...rest) {
      dlopened.push(filename);
      return dlopen.call(this, module, filename, ...rest);
    };
    ${body}
    const required = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ dlopened, required }));
  `;
  // Asynchronously: a child that is slow on a loaded machine must not block this worker's
  // event loop, or vitest's RPC with it times out.
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(stdout);
}

const heavy = (loads: { dlopened: string[]; required: string[] }) =>
  [...loads.dlopened, ...loads.required].filter((path) => /llvm-bindings|\.node$/.test(path));

describe('the checker without LLVM', () => {
  it('dist/ is built', () => {
    expect(existsSync(`${ROOT}dist/check/index.js`), 'run `npm run build:ts`').toBe(true);
  });

  it('importing the checker and checking a program loads neither llvm-bindings nor the native addon', async () => {
    const loads = await loadsOf(`
      const { parse } = await import('./dist/parser/index.js');
      const { check } = await import('./dist/check/index.js');
      const checked = check(parse('xdp:eth0 { @bytes[ip.src] = sum(pkt.len); if (tcp.dport == 22) { printf("%s\\\\n", comm); exit() } }'), { interfaces: () => ['eth0'] });
      if (checked.maps.size !== 1) throw new Error('the program did not check');
    `);
    expect(heavy(loads)).toEqual([]);
  });

  it('the fuzzer builds its vocabulary from the checker alone', async () => {
    const loads = await loadsOf(`
      const { checkerVocabulary, fakeEnv } = await import('./test/fuzz/harness.js');
      const m = {
        parser: await import('./dist/parser/index.js'),
        check: await import('./dist/check/index.js'),
        builtins: await import('./dist/builtins/registry.js'),
        aggregations: await import('./dist/aggregations/registry.js'),
        model: await import('./dist/packet/model.js'),
      };
      const vocabulary = checkerVocabulary(m, fakeEnv());
      if (!vocabulary.probes.some((p) => p.text === 'xdp:eth0')) throw new Error('no vocabulary');
    `);
    expect(heavy(loads)).toEqual([]);
  });

  // codegen/llvm.ts loads llvm-bindings on first use, not on import (a cold compile
  // dlopen()s LLVM on another thread meanwhile): importing codegen alone loads nothing,
  // touching its LLVM handle loads it, and the detector sees that.
  it('importing codegen loads no LLVM; its first use does, and the detector sees it', async () => {
    expect(heavy(await loadsOf(`await import('./dist/codegen/llvm.js');`))).toEqual([]);
    const used = await loadsOf(`const { llvm } = await import('./dist/codegen/llvm.js'); new llvm.LLVMContext();`);
    expect(heavy(used).some((path) => path.includes('llvm-bindings'))).toBe(true);
  });
});
