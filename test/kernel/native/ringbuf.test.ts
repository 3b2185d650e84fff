// Ring-buffer events end to end: an XDP program writes one record per matching packet,
// and openRingBuffer delivers each exactly once, either from Node's event loop (no
// thread of its own) or synchronously through poll() when draining.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as native from '../../../src/native/bpf.js';
import { emitObject } from '../../../src/native/emitter.js';
import { NativeError } from '../../../src/native/errors.js';
import { BPF_MAP_TYPE, BPF_PROG_TYPE } from '../../../src/model/uapi.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';
import { EVENT_MAGIC, xdpEventIR } from './programs.js';
import { fdTracker, requireRootOrFail, settle, sleep } from './support.js';

const PORT = 7777;
const PAYLOAD = 16; // sendUdpFromNamespace's default payload size
const fds = fdTracker();
let link: TestLink;

beforeAll(() => {
  requireRootOrFail();
  link = createTestLink();
});

afterAll(() => {
  link?.destroy();
});

/** bpf_ringbuf_output's flag that commits a record without waking the reader. */
const BPF_RB_NO_WAKEUP = 1;

/** A ring buffer map and the XDP program that fills it, attached to the root-side veth. */
function attachEventSource(ringbufFlags = 0): number {
  const ring = fds.track(
    native.createMap({ type: BPF_MAP_TYPE.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 64 * 1024, name: 'test_events' }),
  );
  const obj = emitObject(xdpEventIR('xdp_events', PORT, ringbufFlags), { xdp_events: 'xdp' });
  const prog = native.loadProgram({ obj, section: 'xdp', progType: BPF_PROG_TYPE.XDP, mapFds: [ring] });
  fds.track(prog.fd);
  fds.track(native.attachXdp(prog.fd, native.ifNameToIndex(link.rootIf), 'auto').linkFd);
  return ring;
}

function expectEvent(record: Buffer): void {
  expect(record.length).toBe(8);
  expect(record.readUInt32LE(0)).toBe(EVENT_MAGIC);
  expect(record.readUInt16BE(4)).toBe(8 + PAYLOAD); // UDP length
  expect(record.readUInt16BE(6)).toBe(PORT);
}

describe('openRingBuffer', () => {
  it('delivers one event per packet from the event loop, and none after close()', async () => {
    const ring = attachEventSource();
    const events: Buffer[] = [];
    const consumer = native.openRingBuffer(ring, (data) => events.push(data));
    try {
      sendUdpFromNamespace(link, link.rootAddr, PORT, 25);
      sendUdpFromNamespace(link, link.rootAddr, PORT + 1, 6); // not matched: no event
      expect(await settle(() => events.length, 25)).toBe(25);
      await sleep(100);
      expect(events.length).toBe(25);
      events.forEach(expectEvent);
    } finally {
      consumer.close();
    }
    sendUdpFromNamespace(link, link.rootAddr, PORT, 3);
    await sleep(150);
    expect(events.length).toBe(25);
    consumer.close(); // idempotent
    expect(consumer.poll(0)).toBe(0);
  });

  it('poll() drains synchronously and returns the number delivered', async () => {
    const ring = attachEventSource();
    const events: Buffer[] = [];
    const consumer = native.openRingBuffer(ring, (data) => events.push(data));
    try {
      // The sender runs synchronously, so the loop cannot consume in between: only
      // poll() can deliver here.
      sendUdpFromNamespace(link, link.rootAddr, PORT, 10);
      let delivered = 0;
      const deadline = Date.now() + 3000;
      while (delivered < 10 && Date.now() < deadline) delivered += consumer.poll(100);
      expect(delivered).toBe(10);
      expect(events.length).toBe(10);
      events.forEach(expectEvent);
      expect(consumer.poll(0)).toBe(0);
    } finally {
      consumer.close();
    }
  });

  it('poll(0) reads the ring itself: records the kernel has not signalled yet are delivered', async () => {
    // The kernel marks the ring readable from an irq_work queued at commit, and only when
    // the reader had caught up; a drain that asked epoll could return 0 with records in
    // the ring (the run's last printf lost before its exit). BPF_RB_NO_WAKEUP makes that
    // state last: epoll never hears of these records, only reading the ring finds them.
    const ring = attachEventSource(BPF_RB_NO_WAKEUP);
    const events: Buffer[] = [];
    const consumer = native.openRingBuffer(ring, (data) => events.push(data));
    try {
      sendUdpFromNamespace(link, link.rootAddr, PORT, 5);
      // The event loop is never told either, so only poll(0) can deliver them.
      const deadline = Date.now() + 3000;
      let delivered = 0;
      while (delivered < 5 && Date.now() < deadline) {
        delivered += consumer.poll(0);
        await sleep(20);
      }
      expect(delivered).toBe(5);
      expect(events.length).toBe(5);
      events.forEach(expectEvent);
      expect(consumer.poll(0)).toBe(0);
    } finally {
      consumer.close();
    }
  });

  it('rethrows from poll() what onEvent threw, and keeps the remaining events', () => {
    const ring = attachEventSource();
    let seen = 0;
    const consumer = native.openRingBuffer(ring, () => {
      seen++;
      if (seen === 2) throw new Error('handler failed on the second event');
    });
    try {
      // All synchronous: the event loop never gets to consume, poll() does.
      sendUdpFromNamespace(link, link.rootAddr, PORT, 5);
      const deadline = Date.now() + 3000;
      let thrown: unknown;
      while (thrown === undefined && Date.now() < deadline) {
        try {
          consumer.poll(100);
        } catch (e) {
          thrown = e;
        }
      }
      expect((thrown as Error).message).toBe('handler failed on the second event');
      // The failed event counts as consumed; the other three are still delivered.
      let delivered = 0;
      while (seen < 5 && Date.now() < deadline) delivered += consumer.poll(100);
      expect(seen).toBe(5);
      expect(delivered).toBe(3);
    } finally {
      consumer.close();
    }
  });

  it('close() from inside onEvent stops delivery at once', async () => {
    const ring = attachEventSource();
    let seen = 0;
    const consumer = native.openRingBuffer(ring, () => {
      seen++;
      consumer.close();
    });
    sendUdpFromNamespace(link, link.rootAddr, PORT, 4);
    expect(await settle(() => seen, 1)).toBe(1);
    await sleep(150);
    expect(seen).toBe(1);
  });

  it('refuses a map that is not a ring buffer', () => {
    const hash = fds.track(native.createMap({ type: BPF_MAP_TYPE.HASH, keySize: 4, valueSize: 4, maxEntries: 4, name: 'not_a_ring' }));
    expect(() => native.openRingBuffer(hash, () => {})).toThrow(NativeError);
  });
});
