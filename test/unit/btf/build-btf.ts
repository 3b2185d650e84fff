// Builds small BTF blobs for tests, record by record, in the kernel's layout
// (include/uapi/linux/btf.h): a 24-byte header, the type section, the string section.
import { BTF_KIND } from '../../../src/btf/types.js';

export class BtfBuilder {
  private readonly words: number[] = [];
  private readonly strings: string[] = [''];
  private stringBytes = 1;
  private readonly stringOffsets = new Map<string, number>([['', 0]]);
  private nextId = 1;

  str(s: string): number {
    const known = this.stringOffsets.get(s);
    if (known !== undefined) return known;
    const off = this.stringBytes;
    this.strings.push(s);
    this.stringOffsets.set(s, off);
    this.stringBytes += Buffer.byteLength(s) + 1;
    return off;
  }

  private head(name: string, kind: number, vlen: number, sizeOrType: number, kindFlag = false): number {
    this.words.push(this.str(name), ((kindFlag ? 1 : 0) << 31) | (kind << 24) | vlen, sizeOrType);
    return this.nextId++;
  }

  int(name: string, size: number, opts: { signed?: boolean; char?: boolean; bool?: boolean; bits?: number } = {}): number {
    const id = this.head(name, BTF_KIND.INT, 0, size);
    const flags = (opts.signed ? 1 : 0) | (opts.char ? 2 : 0) | (opts.bool ? 4 : 0);
    this.words.push((flags << 24) | (opts.bits ?? size * 8));
    return id;
  }

  ptr(type: number): number {
    return this.head('', BTF_KIND.PTR, 0, type);
  }

  array(elem: number, index: number, nelems: number): number {
    const id = this.head('', BTF_KIND.ARRAY, 0, 0);
    this.words.push(elem, index, nelems);
    return id;
  }

  struct(name: string, size: number, members: { name: string; type: number; bitOffset: number; bitSize?: number }[], union = false): number {
    const bitfields = members.some((m) => m.bitSize);
    const id = this.head(name, union ? BTF_KIND.UNION : BTF_KIND.STRUCT, members.length, size, bitfields);
    for (const m of members) this.words.push(this.str(m.name), m.type, bitfields ? ((m.bitSize ?? 0) << 24) | m.bitOffset : m.bitOffset);
    return id;
  }

  enum(name: string, size: number, values: [string, number][], signed = false): number {
    const id = this.head(name, BTF_KIND.ENUM, values.length, size, signed);
    for (const [n, v] of values) this.words.push(this.str(n), v >>> 0);
    return id;
  }

  enum64(name: string, values: [string, bigint][]): number {
    const id = this.head(name, BTF_KIND.ENUM64, values.length, 8);
    for (const [n, v] of values) this.words.push(this.str(n), Number(v & 0xffffffffn), Number(v >> 32n));
    return id;
  }

  fwd(name: string, union = false): number {
    return this.head(name, BTF_KIND.FWD, 0, 0, union);
  }

  typedef(name: string, type: number): number {
    return this.head(name, BTF_KIND.TYPEDEF, 0, type);
  }

  qualifier(kind: 'const' | 'volatile', type: number): number {
    return this.head('', kind === 'const' ? BTF_KIND.CONST : BTF_KIND.VOLATILE, 0, type);
  }

  funcProto(ret: number, params: [string, number][]): number {
    const id = this.head('', BTF_KIND.FUNC_PROTO, params.length, ret);
    for (const [n, t] of params) this.words.push(this.str(n), t);
    return id;
  }

  func(name: string, proto: number, linkage = 1): number {
    return this.head(name, BTF_KIND.FUNC, linkage, proto);
  }

  build(): Buffer {
    const types = Buffer.alloc(this.words.length * 4);
    this.words.forEach((w, i) => types.writeUInt32LE(w >>> 0, i * 4));
    const strings = Buffer.from(this.strings.map((s) => s + '\0').join(''), 'latin1');
    const header = Buffer.alloc(24);
    header.writeUInt16LE(0xeb9f, 0);
    header.writeUInt8(1, 2);
    header.writeUInt8(0, 3);
    header.writeUInt32LE(24, 4);
    header.writeUInt32LE(0, 8);
    header.writeUInt32LE(types.length, 12);
    header.writeUInt32LE(types.length, 16);
    header.writeUInt32LE(strings.length, 20);
    return Buffer.concat([header, types, strings]);
  }
}
