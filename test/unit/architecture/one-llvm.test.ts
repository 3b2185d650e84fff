// One copy of LLVM in a compiling process (issue 12): llvm-bindings (IR building) is
// rebuilt by scripts/llvm-bindings-shared.sh against the shared libLLVM-14 that the emit
// addon (LLVM's BPF backend) links, instead of carrying its own static LLVM. Checked on
// the built files (their dynamic sections and symbols) and in a fresh Node process that
// builds a module with llvm-bindings and emits a BPF object through the addon.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LLVM_BINDINGS = `${ROOT}node_modules/llvm-bindings/build/Release/llvm-bindings.node`;
const EMIT_ADDON = `${ROOT}native/build/Release/nettrace_emit.node`;

const needed = (file: string) => [...execFileSync('readelf', ['-d', file], { encoding: 'utf8' }).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);

describe('one copy of LLVM', () => {
  it('llvm-bindings links the shared libLLVM the emit addon links, and defines no LLVM of its own', () => {
    const libLLVM = needed(EMIT_ADDON).filter((l) => l.startsWith('libLLVM'));
    expect(libLLVM).toEqual(['libLLVM-14.so.1']);
    expect(needed(LLVM_BINDINGS)).toContain(libLLVM[0]);
    // A static copy would define LLVM's classes itself (llvm::LLVMContext::LLVMContext()).
    const defined = execFileSync('nm', ['-D', '--defined-only', LLVM_BINDINGS], { encoding: 'utf8', maxBuffer: 256 << 20 });
    expect(defined).not.toMatch(/ _ZN4llvm11LLVMContextC[12]Ev$/m);
  });

  it('a process that builds IR and emits a BPF object maps one libLLVM', async () => {
    const script = `
      import { createRequire } from 'node:module';
      import { readFileSync } from 'node:fs';
      const llvm = createRequire(${JSON.stringify(ROOT)} + 'package.json')('llvm-bindings');
      const context = new llvm.LLVMContext();
      const module = new llvm.Module('one', context);
      const b = new llvm.IRBuilder(context);
      const fn = llvm.Function.Create(llvm.FunctionType.get(b.getInt64Ty(), [b.getInt8PtrTy()], false), llvm.Function.LinkageTypes.ExternalLinkage, 'prog', module);
      b.SetInsertPoint(llvm.BasicBlock.Create(context, 'entry', fn));
      b.CreateRet(b.getInt64(2));
      const { emitObject } = await import(${JSON.stringify(ROOT)} + 'dist/native/emitter.js');
      const obj = emitObject(module.print(), { prog: 'xdp' });
      const files = new Set(readFileSync('/proc/self/maps', 'utf8').split('\\n').map((l) => l.split(/\\s+/)[5]).filter(Boolean));
      console.log(JSON.stringify({ elf: obj.subarray(1, 4).toString(), mapped: [...files].filter((f) => /llvm/i.test(f)) }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const { elf, mapped } = JSON.parse(stdout) as { elf: string; mapped: string[] };
    expect(elf).toBe('ELF');
    expect(mapped.filter((f) => /libLLVM/.test(f))).toHaveLength(1);
    expect(mapped.map((f) => f.split('/').pop()).sort()).toEqual(['libLLVM-14.so.1', 'llvm-bindings.node']);
  });
});
