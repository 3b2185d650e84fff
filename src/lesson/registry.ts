// Every lesson, in the order `nettrace lesson` lists them: along the packet's way in and
// out, then what happens to packets, the protocols, and the machinery around them.
import type { Lesson } from './lesson.js';
import { arp } from './lessons/arp.js';
import { drops } from './lessons/drops.js';
import { latency } from './lessons/latency.js';
import { napi } from './lessons/napi.js';
import { qdisc } from './lessons/qdisc.js';
import { receive } from './lessons/receive.js';
import { retransmits } from './lessons/retransmits.js';
import { routing } from './lessons/routing.js';
import { socketQueues } from './lessons/socket-queues.js';
import { synFlood } from './lessons/syn-flood.js';
import { tcpStates } from './lessons/tcp-states.js';
import { topTalkers } from './lessons/top-talkers.js';
import { transmit } from './lessons/transmit.js';

export const LESSONS: Lesson<any>[] = [receive, transmit, drops, tcpStates, retransmits, topTalkers, synFlood, qdisc, napi, arp, routing, socketQueues, latency];

export function findLesson(name: string): Lesson<any> | undefined {
  return LESSONS.find((l) => l.name === name);
}
