// A string known when the program is compiled (probe, func), written into a zeroed
// buffer on the stack when it is read: 8, 4, 2 and 1-byte stores, fewest first.
import type { FunctionContext } from '../codegen/function-context.js';
import type { LLVM } from '../codegen/llvm.js';

/** A `size`-byte string value holding `text` (cut to size - 1 bytes, NUL after it). */
export function constantString(f: FunctionContext, text: string, size: number, name: string): LLVM.Value {
  const { m } = f;
  const bytes = Buffer.from(text, 'utf8').subarray(0, size - 1);
  const buffer = f.zeroedBuffer(size, name);
  for (let i = 0; i < bytes.length; ) {
    const width = bytes.length - i >= 8 ? 8 : bytes.length - i >= 4 ? 4 : bytes.length - i >= 2 ? 2 : 1;
    const chunk = width === 8 ? bytes.readBigUInt64LE(i) : BigInt(bytes.readUIntLE(i, width));
    f.storeInt(buffer, i, width * 8, m.i64Const(chunk));
    i += width;
  }
  return buffer;
}
