// A reader for BTF, the kernel's compact type information (/sys/kernel/btf/vmlinux):
// a header, a section of variable-length type records, and a string section.
//
// vmlinux BTF holds ~150k types in ~5 MB, and a probe needs a handful of them, so the
// reader does as little as possible up front: one pass records where each record starts
// (records have variable length, so their offsets cannot be computed), and everything
// else is lazy: a record is decoded when asked for and cached, and the name index is
// built on the first lookup by name. Measured on this machine's kernel 6.18 vmlinux:
// see test/unit/btf/reader.test.ts and docs/architecture.md.
import { BTF_KIND, type BtfEnum, type BtfKindName, type BtfMember, type BtfType } from './types.js';

const BTF_MAGIC = 0xeb9f;

export class BtfFormatError extends Error {}

const KIND_NAMES: Record<number, BtfKindName> = {
  [BTF_KIND.INT]: 'int',
  [BTF_KIND.PTR]: 'ptr',
  [BTF_KIND.ARRAY]: 'array',
  [BTF_KIND.STRUCT]: 'struct',
  [BTF_KIND.UNION]: 'union',
  [BTF_KIND.ENUM]: 'enum',
  [BTF_KIND.FWD]: 'fwd',
  [BTF_KIND.TYPEDEF]: 'typedef',
  [BTF_KIND.VOLATILE]: 'volatile',
  [BTF_KIND.CONST]: 'const',
  [BTF_KIND.RESTRICT]: 'restrict',
  [BTF_KIND.FUNC]: 'func',
  [BTF_KIND.FUNC_PROTO]: 'func_proto',
  [BTF_KIND.VAR]: 'var',
  [BTF_KIND.DATASEC]: 'datasec',
  [BTF_KIND.FLOAT]: 'float',
  [BTF_KIND.DECL_TAG]: 'decl_tag',
  [BTF_KIND.TYPE_TAG]: 'type_tag',
  [BTF_KIND.ENUM64]: 'enum',
};

/** Size of the common record head (name_off, info, size/type). */
const HEAD = 12;

export class Btf {
  private readonly types: Buffer;
  private readonly strings: Buffer;
  /** offsets[id] = where record `id` starts in `types` (index 0, void, unused). */
  private readonly offsets: Uint32Array;
  /** The type section as 32-bit words: every record field is a u32 at a 4-byte boundary. */
  private readonly words: Uint32Array;
  private readonly decoded = new Map<number, BtfType>();
  private readonly found = new Map<string, number[]>();
  private enumerators?: Map<string, { enumId: number; value: bigint }>;

  /** Parses the header and indexes the record offsets; throws BtfFormatError on bad input. */
  constructor(data: Buffer) {
    if (data.length < 24 || data.readUInt16LE(0) !== BTF_MAGIC) throw new BtfFormatError('not BTF data (bad magic)');
    if (data.readUInt8(2) !== 1) throw new BtfFormatError(`unsupported BTF version ${data.readUInt8(2)}`);
    const hdrLen = data.readUInt32LE(4);
    const typeOff = data.readUInt32LE(8);
    const typeLen = data.readUInt32LE(12);
    const strOff = data.readUInt32LE(16);
    const strLen = data.readUInt32LE(20);
    const end = (off: number, len: number) => hdrLen + off + len;
    if (end(typeOff, typeLen) > data.length || end(strOff, strLen) > data.length) throw new BtfFormatError('BTF sections extend past the data');
    this.types = data.subarray(hdrLen + typeOff, hdrLen + typeOff + typeLen);
    this.strings = data.subarray(hdrLen + strOff, hdrLen + strOff + strLen);
    if (typeLen % 4 !== 0) throw new BtfFormatError('the type section is not a whole number of words');
    this.words = wordsOf(this.types);
    this.offsets = indexRecords(this.words);
  }

  /** Number of type ids, void included: valid ids are 1 .. count-1. */
  get count(): number {
    return this.offsets.length;
  }

  /** The decoded record of `id`; undefined for 0 (void) and ids out of range. */
  get(id: number): BtfType | undefined {
    if (id <= 0 || id >= this.offsets.length) return undefined;
    let t = this.decoded.get(id);
    if (!t) {
      t = this.decode(id);
      this.decoded.set(id, t);
    }
    return t;
  }

  /** The kind of `id` without decoding the whole record (cheap: used by scans). */
  kindOf(id: number): BtfKindName | undefined {
    if (id <= 0 || id >= this.offsets.length) return undefined;
    return KIND_NAMES[(this.words[this.offsets[id] / 4 + 1] >>> 24) & 0x1f];
  }

  /** The name of `id` without decoding the whole record. */
  nameOf(id: number): string {
    if (id <= 0 || id >= this.offsets.length) return '';
    return this.string(this.words[this.offsets[id] / 4]);
  }

  /**
   * Ids of the types named `name`, optionally only those of one kind. No name index is
   * built: the name is found in the string section (a native memory search), then the
   * records whose name offset points at it are picked out by one scan over the words.
   */
  findAll(name: string, kind?: BtfKindName): number[] {
    let ids = this.found.get(name);
    if (!ids) {
      ids = this.scanByName(name);
      this.found.set(name, ids);
    }
    return kind ? ids.filter((id) => this.kindOf(id) === kind) : ids;
  }

  find(name: string, kind?: BtfKindName): number | undefined {
    return this.findAll(name, kind)[0];
  }

  /** Every named type of one kind, as [name, id], in id order. */
  *named(kind: BtfKindName): Generator<[string, number]> {
    for (let id = 1; id < this.offsets.length; id++) {
      if (this.kindOf(id) !== kind) continue;
      const name = this.nameOf(id);
      if (name) yield [name, id];
    }
  }

  private scanByName(name: string): number[] {
    const nameOffsets = this.stringOffsets(name);
    if (nameOffsets.length === 0) return [];
    const ids: number[] = [];
    const { words, offsets } = this;
    for (let id = 1; id < offsets.length; id++) {
      const off = words[offsets[id] / 4];
      if (off === nameOffsets[0] || nameOffsets.includes(off)) ids.push(id);
    }
    return ids;
  }

  /**
   * The enum that has an enumerator called `name` (TCP_ESTABLISHED lives in an anonymous
   * enum), and its value. The first call indexes every enumerator (a few thousand enums).
   */
  findEnumerator(name: string): { enumId: number; value: bigint } | undefined {
    if (!this.enumerators) {
      this.enumerators = new Map();
      for (let id = 1; id < this.offsets.length; id++) {
        if (this.kindOf(id) !== 'enum') continue;
        for (const v of (this.get(id) as BtfEnum).values) {
          if (!this.enumerators.has(v.name)) this.enumerators.set(v.name, { enumId: id, value: v.value });
        }
      }
    }
    return this.enumerators.get(name);
  }

  /** Where `name` sits in the string section (usually once: BTF deduplicates strings). */
  private stringOffsets(name: string): number[] {
    if (name === '') return [];
    // Each string is NUL-terminated and the section starts with the empty string, so
    // "\0name\0" finds whole strings only.
    const needle = Buffer.from(`\0${name}\0`, 'latin1');
    const found: number[] = [];
    for (let at = this.strings.indexOf(needle); at !== -1; at = this.strings.indexOf(needle, at + 1)) found.push(at + 1);
    return found;
  }

  private string(offset: number): string {
    if (offset === 0) return '';
    const end = this.strings.indexOf(0, offset);
    return this.strings.toString('latin1', offset, end === -1 ? this.strings.length : end);
  }

  private decode(id: number): BtfType {
    const buf = this.types;
    const at = this.offsets[id];
    const name = this.string(buf.readUInt32LE(at));
    const info = buf.readUInt32LE(at + 4);
    const vlen = info & 0xffff;
    const kindFlag = info >>> 31 === 1;
    const kind = (info >>> 24) & 0x1f;
    const sizeOrType = buf.readUInt32LE(at + 8);
    const body = at + HEAD;
    switch (kind) {
      case BTF_KIND.INT: {
        const encoding = buf.readUInt32LE(body);
        const flags = (encoding >>> 24) & 0x0f;
        return { kind: 'int', id, name, size: sizeOrType, bits: encoding & 0xff, signed: (flags & 1) !== 0, char: (flags & 2) !== 0, bool: (flags & 4) !== 0 };
      }
      case BTF_KIND.PTR:
        return { kind: 'ptr', id, type: sizeOrType };
      case BTF_KIND.ARRAY:
        return { kind: 'array', id, elem: buf.readUInt32LE(body), nelems: buf.readUInt32LE(body + 8) };
      case BTF_KIND.STRUCT:
      case BTF_KIND.UNION: {
        const members: BtfMember[] = [];
        for (let i = 0; i < vlen; i++) {
          const m = body + i * 12;
          const offset = buf.readUInt32LE(m + 8);
          // With kind_flag, the offset word packs the bitfield size (top 8 bits) and bit offset.
          members.push({
            name: this.string(buf.readUInt32LE(m)),
            type: buf.readUInt32LE(m + 4),
            bitOffset: kindFlag ? offset & 0xffffff : offset,
            bitSize: kindFlag ? offset >>> 24 : 0,
          });
        }
        return { kind: kind === BTF_KIND.STRUCT ? 'struct' : 'union', id, name, size: sizeOrType, members };
      }
      case BTF_KIND.ENUM: {
        const values = [];
        for (let i = 0; i < vlen; i++) {
          const v = body + i * 8;
          values.push({ name: this.string(buf.readUInt32LE(v)), value: BigInt(kindFlag ? buf.readInt32LE(v + 4) : buf.readUInt32LE(v + 4)) });
        }
        return { kind: 'enum', id, name, size: sizeOrType, signed: kindFlag, values };
      }
      case BTF_KIND.ENUM64: {
        const values = [];
        for (let i = 0; i < vlen; i++) {
          const v = body + i * 12;
          const raw = (BigInt(buf.readUInt32LE(v + 8)) << 32n) | BigInt(buf.readUInt32LE(v + 4));
          values.push({ name: this.string(buf.readUInt32LE(v)), value: kindFlag ? BigInt.asIntN(64, raw) : raw });
        }
        return { kind: 'enum', id, name, size: sizeOrType, signed: kindFlag, values };
      }
      case BTF_KIND.FWD:
        return { kind: 'fwd', id, name, union: kindFlag };
      case BTF_KIND.TYPEDEF:
      case BTF_KIND.VOLATILE:
      case BTF_KIND.CONST:
      case BTF_KIND.RESTRICT:
      case BTF_KIND.TYPE_TAG:
        return { kind: KIND_NAMES[kind] as 'typedef', id, name, type: sizeOrType };
      case BTF_KIND.FUNC:
        return { kind: 'func', id, name, type: sizeOrType, linkage: vlen };
      case BTF_KIND.FUNC_PROTO: {
        const params = [];
        for (let i = 0; i < vlen; i++) {
          const p = body + i * 8;
          params.push({ name: this.string(buf.readUInt32LE(p)), type: buf.readUInt32LE(p + 4) });
        }
        return { kind: 'func_proto', id, returnType: sizeOrType, params };
      }
      case BTF_KIND.VAR:
      case BTF_KIND.DATASEC:
      case BTF_KIND.FLOAT:
      case BTF_KIND.DECL_TAG:
        return { kind: KIND_NAMES[kind] as 'var', id, name };
      default:
        throw new BtfFormatError(`type ${id} has unknown kind ${kind}`);
    }
  }
}

/** Bytes a record takes after its 12-byte head, by kind. */
function bodySize(kind: number, vlen: number): number {
  switch (kind) {
    case BTF_KIND.INT:
    case BTF_KIND.VAR:
    case BTF_KIND.DECL_TAG:
      return 4;
    case BTF_KIND.ARRAY:
      return 12;
    case BTF_KIND.STRUCT:
    case BTF_KIND.UNION:
    case BTF_KIND.DATASEC:
    case BTF_KIND.ENUM64:
      return vlen * 12;
    case BTF_KIND.ENUM:
    case BTF_KIND.FUNC_PROTO:
      return vlen * 8;
    case BTF_KIND.PTR:
    case BTF_KIND.FWD:
    case BTF_KIND.TYPEDEF:
    case BTF_KIND.VOLATILE:
    case BTF_KIND.CONST:
    case BTF_KIND.RESTRICT:
    case BTF_KIND.FUNC:
    case BTF_KIND.FLOAT:
    case BTF_KIND.TYPE_TAG:
      return 0;
    default:
      return -1;
  }
}

/** A Uint32Array over the buffer, copying it first when it is not 4-byte aligned. */
function wordsOf(bytes: Buffer): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}

function indexRecords(words: Uint32Array): Uint32Array {
  // Every record is at least 3 words, which bounds the count: one pass, no regrowing.
  const offsets = new Uint32Array(Math.floor(words.length / 3) + 2);
  let id = 1;
  let w = 0;
  while (w < words.length) {
    if (w + HEAD / 4 > words.length) throw new BtfFormatError(`truncated type record at byte ${w * 4}`);
    const info = words[w + 1];
    const size = bodySize((info >>> 24) & 0x1f, info & 0xffff);
    if (size < 0) throw new BtfFormatError(`type ${id} has unknown kind ${(info >>> 24) & 0x1f}`);
    offsets[id++] = w * 4;
    w += (HEAD + size) / 4;
  }
  if (w !== words.length) throw new BtfFormatError('type records overrun the type section');
  return offsets.slice(0, id);
}
