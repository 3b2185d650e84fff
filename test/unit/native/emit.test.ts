// emitObject / disassemble: IR text in, BPF ELF out, without touching the kernel (no
// privileges needed). Invalid or unlowerable IR must come back as INVALID_IR while this
// process lives on: an LLVM abort would kill the test worker.
import { describe, expect, it } from 'vitest';
import { NativeError } from '../../../src/native/errors.js';
import { disassemble, emitObject } from '../../../src/native/emitter.js';

const RETURN_PASS = `
define i32 @pass_all(i8* %ctx) {
  ret i32 2
}
`;

const MAP_LOOKUP = `
declare i64 @llvm.bpf.pseudo(i64, i64)

define i32 @lookup(i8* %ctx) {
entry:
  %key = alloca i32, align 4
  store i32 0, i32* %key, align 4
  %map = call i64 @llvm.bpf.pseudo(i64 1, i64 0)
  %map.p = inttoptr i64 %map to i8*
  %key.p = bitcast i32* %key to i8*
  %value = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* %map.p, i8* %key.p)
  %missing = icmp eq i8* %value, null
  br i1 %missing, label %out, label %bump

bump:
  %count.p = bitcast i8* %value to i64*
  %count = load i64, i64* %count.p
  %count.1 = add i64 %count, 1
  store i64 %count.1, i64* %count.p
  br label %out

out:
  ret i32 2
}
`;

/** Section names from the ELF section header table (64-bit little-endian ELF). */
function sectionNames(elf: Buffer): string[] {
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const shstrndx = elf.readUInt16LE(0x3e);
  const strtab = Number(elf.readBigUInt64LE(shoff + shstrndx * shentsize + 0x18));
  const names: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const nameOffset = elf.readUInt32LE(shoff + i * shentsize);
    const start = strtab + nameOffset;
    names.push(elf.toString('latin1', start, elf.indexOf(0, start)));
  }
  return names;
}

function emitError(fn: () => unknown): NativeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NativeError);
    return e as NativeError;
  }
  throw new Error('expected a NativeError');
}

describe('emitObject', () => {
  it('emits a BPF ELF object with the program in its section and a GPL license', () => {
    const obj = emitObject(RETURN_PASS, { pass_all: 'xdp' });
    expect(obj.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // \x7fELF
    expect(obj[4]).toBe(2); // ELFCLASS64
    expect(obj[5]).toBe(1); // little-endian
    expect(obj.readUInt16LE(0x12)).toBe(247); // EM_BPF
    const names = sectionNames(obj);
    expect(names).toContain('xdp');
    expect(names).toContain('license');
    const license = obj.indexOf('GPL\0', 0, 'latin1');
    expect(license).toBeGreaterThan(0);
  });

  it('places several programs in their own sections', () => {
    const ir = `${RETURN_PASS}
define i32 @on_tc(i8* %ctx) {
  ret i32 -1
}
define i32 @on_tp(i8* %ctx) {
  ret i32 0
}
`;
    const names = sectionNames(
      emitObject(ir, { pass_all: 'xdp', on_tc: 'tc', on_tp: 'tracepoint/net/netif_receive_skb' }),
    );
    expect(names).toEqual(expect.arrayContaining(['xdp', 'tc', 'tracepoint/net/netif_receive_skb']));
  });

  it('compiles a helper call on a map given as llvm.bpf.pseudo(1, index)', () => {
    const obj = emitObject(MAP_LOOKUP, { lookup: 'xdp' });
    expect(sectionNames(obj)).toContain('xdp');
    const asm = disassemble(obj);
    // The map reference survives as a pseudo ld_imm64 (src_reg 1, imm = map index 0)...
    expect(asm).toMatch(/ld_pseudo r\d+, 1, 0/);
    // ...followed by the helper call, and the 64-bit counter is one 8-byte access.
    expect(asm).toContain('call 1');
    expect(asm).toMatch(/= \*\(u64 \*\)\(r0 \+ 0\)/);
  });

  it('inlines functions that are not programs, so the object has no bpf-to-bpf calls', () => {
    const ir = `
define i64 @double_it(i64 %x) {
  %y = shl i64 %x, 1
  ret i64 %y
}
define i32 @prog(i8* %ctx) {
  %p = ptrtoint i8* %ctx to i64
  %d = call i64 @double_it(i64 %p)
  %t = trunc i64 %d to i32
  ret i32 %t
}
`;
    const asm = disassemble(emitObject(ir, { prog: 'xdp' }));
    expect(asm).toContain('section xdp:');
    expect(asm).not.toMatch(/call (?!\d)/);
    expect(asm).not.toContain('double_it');
  });

  it('honours optLevel 0', () => {
    const o0 = disassemble(emitObject(MAP_LOOKUP, { lookup: 'xdp' }, { optLevel: 0 }));
    const o2 = disassemble(emitObject(MAP_LOOKUP, { lookup: 'xdp' }, { optLevel: 2 }));
    expect(o0.split('\n').length).toBeGreaterThan(o2.split('\n').length);
  });

  it('compiles a small module in a few milliseconds', () => {
    emitObject(MAP_LOOKUP, { lookup: 'xdp' }); // warm up
    const runs = 20;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) emitObject(MAP_LOOKUP, { lookup: 'xdp' });
    const msPerEmit = Number(process.hrtime.bigint() - start) / 1e6 / runs;
    expect(msPerEmit).toBeLessThan(50); // measured ~2 ms; a generous bound, not a benchmark
  });
});

describe('emitObject refuses IR it cannot compile, and Node survives', () => {
  it('syntax errors: INVALID_IR with the line and column', () => {
    const e = emitError(() => emitObject('define i32 @f(i8* %ctx) {\n  ret i32 %nope\n}\n', { f: 'xdp' }));
    expect(e.code).toBe('INVALID_IR');
    expect(e.message).toMatch(/ir:2:\d+: error: .*'%nope'/);
  });

  it('IR that parses but does not verify', () => {
    const ir = `
define i32 @f(i8* %ctx) {
entry:
  br label %next
next:
  %x = add i32 %y, 1
  %y = add i32 %x, 1
  ret i32 %x
}`;
    expect(emitError(() => emitObject(ir, { f: 'xdp' })).code).toBe('INVALID_IR');
  });

  it('a section for a function that does not exist', () => {
    const e = emitError(() => emitObject(RETURN_PASS, { missing: 'xdp' }));
    expect(e.code).toBe('INVALID_IR');
    expect(e.message).toContain('@missing');
  });

  // Each of these makes LLVM 14's BPF backend abort or crash when it reaches codegen.
  const fatalToLlvm: Record<string, string> = {
    'a dynamic alloca': `
define i32 @f(i8* %ctx) {
  %n = ptrtoint i8* %ctx to i64
  %buf = alloca i8, i64 %n
  store volatile i8 1, i8* %buf
  ret i32 0
}`,
    'signed division': `
define i32 @f(i8* %ctx) {
  %n = ptrtoint i8* %ctx to i64
  %q = sdiv i64 %n, 7
  %t = trunc i64 %q to i32
  ret i32 %t
}`,
    'an unsupported atomic': `
define i32 @f(i8* %ctx) {
  %x = alloca i64
  store i64 0, i64* %x
  %o = atomicrmw max i64* %x, i64 1 seq_cst
  %t = trunc i64 %o to i32
  ret i32 %t
}`,
    'ctpop (crashes instruction selection)': `
declare i64 @llvm.ctpop.i64(i64)
define i32 @f(i8* %ctx) {
  %n = ptrtoint i8* %ctx to i64
  %c = call i64 @llvm.ctpop.i64(i64 %n)
  %t = trunc i64 %c to i32
  ret i32 %t
}`,
    'llvm.stacksave (crashes the BPF IR peephole pass)': `
declare i8* @llvm.stacksave()
define i32 @f(i8* %ctx) {
  %s = call i8* @llvm.stacksave()
  %i = ptrtoint i8* %s to i32
  ret i32 %i
}`,
    'a 128-bit return': `
define i128 @f(i8* %ctx) {
  %n = ptrtoint i8* %ctx to i128
  ret i128 %n
}`,
    'a fence': `
define i32 @f(i8* %ctx) {
  fence seq_cst
  ret i32 0
}`,
  };
  for (const [what, ir] of Object.entries(fatalToLlvm)) {
    it(`${what}: INVALID_IR`, () => {
      expect(emitError(() => emitObject(ir, { f: 'xdp' })).code).toBe('INVALID_IR');
    });
  }

  it('errors the backend reports (stack over 512 bytes, libcalls) become INVALID_IR', () => {
    const bigStack = `
define i32 @f(i8* %ctx) {
  %x = alloca [1000 x i8]
  %p = getelementptr [1000 x i8], [1000 x i8]* %x, i64 0, i64 999
  store volatile i8 1, i8* %p
  %q = getelementptr [1000 x i8], [1000 x i8]* %x, i64 0, i64 0
  store volatile i8 1, i8* %q
  ret i32 0
}`;
    const e = emitError(() => emitObject(bigStack, { f: 'xdp' }, { optLevel: 0 }));
    expect(e.code).toBe('INVALID_IR');
    expect(e.message).toContain('stack limit of 512 bytes');

    const memcpy = `
declare void @llvm.memcpy.p0i8.p0i8.i64(i8*, i8*, i64, i1)
define i32 @f(i8* %ctx) {
  %x = alloca [64 x i8]
  %xp = getelementptr [64 x i8], [64 x i8]* %x, i64 0, i64 0
  %n = ptrtoint i8* %ctx to i64
  call void @llvm.memcpy.p0i8.p0i8.i64(i8* %xp, i8* %ctx, i64 %n, i1 false)
  %v = load volatile i8, i8* %xp
  %t = zext i8 %v to i32
  ret i32 %t
}`;
    expect(emitError(() => emitObject(memcpy, { f: 'xdp' })).message).toContain("'memcpy' is not supported");
  });

  it('global data and calls to undefined functions, which the loader could not bind', () => {
    const global = `
@counter = global i64 0
define i32 @f(i8* %ctx) {
  %v = load i64, i64* @counter
  %t = trunc i64 %v to i32
  ret i32 %t
}`;
    expect(emitError(() => emitObject(global, { f: 'xdp' })).message).toContain('@counter');
    const external = `
declare i32 @helper_by_name(i32)
define i32 @f(i8* %ctx) {
  %r = call i32 @helper_by_name(i32 1)
  ret i32 %r
}`;
    expect(emitError(() => emitObject(external, { f: 'xdp' })).message).toContain('@helper_by_name');
  });

  it('still works after all those failures', () => {
    expect(emitObject(RETURN_PASS, { pass_all: 'xdp' }).length).toBeGreaterThan(0);
  });
});

describe('disassemble', () => {
  it('lists the instructions of each program section, numbered in 8-byte slots', () => {
    const asm = disassemble(emitObject(RETURN_PASS, { pass_all: 'xdp' }));
    expect(asm).toBe('section xdp:\npass_all:\n    0: w0 = 2\n    1: exit\n');
  });

  it('refuses bytes that are not an object file', () => {
    const e = emitError(() => disassemble(Buffer.from('not an elf file')));
    expect(e.code).toBe('OTHER');
  });
});
