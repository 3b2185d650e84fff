// qdisc queueing: a token bucket at 1 Mbit/s holds datagrams sent faster than that.
import { expect, type Lesson } from '../lesson.js';
import { pause, sendDatagrams } from '../traffic.js';

const DATAGRAMS = 20;
const PAYLOAD = 1000;
const FRAME = PAYLOAD + 42;
const RATE_BITS = 1_000_000;
const BURST = 2048;

export const qdisc: Lesson<{ sent: number; drainMs: number }> = {
  name: 'qdisc',
  title: 'queueing disciplines: packets waiting to be sent',
  teaches: 'qdisc:qdisc_enqueue/qdisc_dequeue count packets through a tbf shaper and measure how long each waited',
  script: 'qdisc.nt',
  async prepare(s) {
    // latency 1s: the queue holds a second's worth, so nothing of this burst is dropped.
    s.exec(s.nsA, 'tc', ['qdisc', 'add', 'dev', s.ifA, 'root', 'tbf', 'rate', '1mbit', 'burst', String(BURST), 'latency', '1s']);
    return `qdisc: tbf rate 1mbit burst ${BURST} on ${s.ifA} (tc qdisc add dev ${s.ifA} root tbf ...)`;
  },
  async traffic(s) {
    const { sent } = await sendDatagrams(s.nsA, { from: s.addrA, to: s.addrB, port: 7000, count: DATAGRAMS, payloadBytes: PAYLOAD });
    // What the bucket did not let through at once leaves at 1 Mbit/s: wait for the last one.
    const drainMs = Math.ceil(((sent * FRAME - BURST) * 8 * 1000) / RATE_BITS);
    await pause(drainMs + 300);
    return { sent, drainMs };
  },
  describe: (s, f) => `${f.sent} datagrams of ${PAYLOAD} bytes (${FRAME}-byte frames) sent at once from ${s.addrA} through the shaper`,
  keep: (s, _map, key) => key[0] === s.ifA,
  read(s, maps, f) {
    const slowest = maps.buckets('@wait_us', s.ifA).at(-1);
    return {
      findings: [
        expect(maps, `${f.sent} packets went into the qdisc`, '@enqueued', [s.ifA], f.sent),
        expect(maps, `and all ${f.sent} came out to the driver`, '@dequeued', [s.ifA], f.sent),
      ],
      explanation: [
        `The token bucket let ${BURST} bytes go at once; every further ${FRAME}-byte frame waited ${((FRAME * 8 * 1000) / RATE_BITS).toFixed(1)} ms for tokens,`,
        `so the last one left about ${f.drainMs} ms after it was sent${slowest ? ` (the slowest bucket of @wait_us: ${slowest.min} to ${slowest.max} us)` : ''}.`,
        'sendmsg() returned at once for all of them: the application does not see the queue, only its latency.',
        'A queue longer than tbf\'s latency limit would drop, and the drops show in drops.nt (QDISC_DROP).',
      ],
    };
  },
};
