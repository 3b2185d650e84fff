// Byte layouts shared by codegen (which writes keys) and the runtime (which decodes
// them). Both sides call these functions, so they cannot disagree.
import { alignOf, sizeOf, type Type } from './types.js';

export interface FieldLayout {
  type: Type;
  offset: number;
}

export interface StructLayout {
  fields: FieldLayout[];
  /** Rounded up to 8 bytes: the kernel compares keys as raw bytes, padding included. */
  size: number;
}

export function layoutStruct(types: Type[]): StructLayout {
  let offset = 0;
  const fields = types.map((type) => {
    const align = alignOf(type);
    offset = Math.ceil(offset / align) * align;
    const field = { type, offset };
    offset += sizeOf(type);
    return field;
  });
  return { fields, size: Math.max(8, Math.ceil(offset / 8) * 8) };
}
