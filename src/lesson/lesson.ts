// What a lesson is: a stdlib script, the sandbox and traffic that make it show something,
// and the reading of its maps tied to that traffic. One file per lesson in lessons/.
import type { JsonValue, LessonMaps } from './maps.js';
import type { Sandbox } from './sandbox.js';

/** One figure the lesson predicts from its own traffic, and the map line that must show it. */
export interface Finding {
  /** What the traffic did, in words: "25 datagrams went to a closed port". */
  traffic: string;
  map: string;
  key: JsonValue[];
  expected: number;
  actual: number;
}

export interface Reading {
  findings: Finding[];
  /** What the figures mean, a few lines tied to them. */
  explanation: string[];
}

export interface Lesson<Figures = unknown> {
  name: string;
  title: string;
  /** One line for `nettrace lesson` and docs/lessons.md: what the learner sees. */
  teaches: string;
  /** The stdlib script, run as `nettrace stdlib/SCRIPT IFACE` in namespace A. */
  script: string;
  /** Its actions change traffic (drop): run with --unsafe, which only a sandbox gets. */
  unsafe?: boolean;
  /** false: no permanent neighbour entries, the lesson is about ARP itself. */
  staticNeighbours?: boolean;
  /** Shapes the sandbox before nettrace starts (qdiscs, routes); returns a line to print, if any. */
  prepare?(s: Sandbox): Promise<string | void>;
  /** Makes the traffic, once nettrace is attached; returns what it did. */
  traffic(s: Sandbox): Promise<Figures>;
  /** One sentence on the traffic, printed before the maps. */
  describe(s: Sandbox, f: Figures): string;
  /** Which map lines are the lesson's own (tracepoints see the whole machine). */
  keep(s: Sandbox, map: string, key: JsonValue[]): boolean;
  read(s: Sandbox, maps: LessonMaps, f: Figures): Reading;
}

/** A finding for `@map[key]`, read from the maps. */
export function expect(maps: LessonMaps, traffic: string, map: string, key: JsonValue[], expected: number): Finding {
  return { traffic, map, key, expected, actual: maps.value(map, ...key) };
}

/** True when the key holds one of the sandbox's addresses (or its interface names). */
export function ownKey(s: Sandbox, key: JsonValue[]): boolean {
  const own = new Set([s.addrA, s.addrB, s.addrB2, s.ifA, s.ifB]);
  for (let n = 8; n < 16; n++) own.add(s.addr(n));
  return key.some((k) => own.has(String(k)));
}

/** A finding for the sum of a map's entries whose key starts with `key` (the rest: any). */
export function expectTotal(maps: LessonMaps, traffic: string, map: string, key: JsonValue[], expected: number): Finding {
  return { traffic, map, key: [...key, '*'], expected, actual: maps.total(map, ...key) };
}
