// Map readings made by hand for the serve unit tests: a description as codegen would
// write it (key layout, value, origin) and entries as the batch reader decodes them.
import { layoutStruct } from '../../../src/model/layout.js';
import type { MapValue } from '../../../src/model/checked.js';
import type { MapDescription, MapOrigin } from '../../../src/model/compiled-program.js';
import type { MapEntry, MapReading } from '../../../src/model/map-reading.js';
import type { Type } from '../../../src/model/types.js';

export function mapOf(displayName: string, keyTypes: Type[], value: MapValue, origin?: MapOrigin, index = 0): MapDescription {
  return {
    index,
    displayName,
    bpfType: 5,
    perCpu: value.kind === 'agg',
    key: layoutStruct(keyTypes),
    valueSize: 8,
    maxEntries: 10240,
    value,
    ...(value.kind === 'scalar' && { valueLayout: layoutStruct([value.type]) }),
    ...(origin && { origin }),
  };
}

export function readingOf(map: MapDescription, entries: MapEntry[]): MapReading {
  return { map, entries };
}
