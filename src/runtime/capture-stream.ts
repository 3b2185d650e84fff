// The packets capture() sends: read from the capture ring buffer as the event loop turns,
// and handed on as they come; and, per capture() call site, the packets the ring refused
// (the per-CPU `captureLost` counters), for the file's statistics and for stderr.
import { decodeCaptureRecord, type CapturedPacket } from '../model/capture.js';
import * as native from '../native/bpf.js';

export class CaptureStream {
  private ring?: native.RingBufferHandle;

  constructor(
    private readonly ringFd: number,
    private readonly lostFd: number | undefined,
    private readonly sites: number,
    private readonly onPacket: (packet: CapturedPacket) => void,
  ) {}

  start(): void {
    this.ring = native.openRingBuffer(this.ringFd, (record) => {
      const packet = decodeCaptureRecord(record);
      if (packet) this.onPacket(packet);
    });
  }

  /** Delivers every packet waiting in the ring now. */
  drain(): void {
    if (this.ring) while (this.ring.poll(0) > 0);
  }

  close(): void {
    this.ring?.close();
    this.ring = undefined;
  }

  /** Per call site, the packets the ring refused so far (every CPU's count). */
  refused(): bigint[] {
    const out = Array.from({ length: this.sites }, () => 0n);
    if (this.lostFd === undefined) return out;
    const cpus = native.numPossibleCpus();
    for (let site = 0; site < this.sites; site++) {
      const key = Buffer.alloc(4);
      key.writeUInt32LE(site);
      const raw = native.mapLookup(this.lostFd, key, cpus * 8);
      if (raw) for (let cpu = 0; cpu < cpus; cpu++) out[site] += raw.readBigUInt64LE(cpu * 8);
    }
    return out;
  }
}
