// The REPL's view of a map reading: each entry with its key as text, made once per
// reading here rather than by every view that sorts or draws rows. The runtime's
// readings hold decoded values only (src/model/map-reading.ts); text is the UI's job.
import { keyText } from '../format/maps-text.js';
import type { MapEntry as DecodedEntry, MapReading as DecodedReading } from '../model/map-reading.js';

export type MapEntry = DecodedEntry & { keyText: string };

export interface MapReading extends DecodedReading {
  entries: MapEntry[];
}

export function labelled(reading: DecodedReading): MapReading {
  return { map: reading.map, entries: reading.entries.map((e) => ({ ...e, keyText: keyText(reading, e.keyValues) })) };
}
