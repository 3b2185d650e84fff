// A pcapng capture as capture() makes it: one interface block per probe and interface,
// every one Ethernet (libpcap, so tcpdump, refuses a file whose interfaces differ in
// link type: an sk_buff without a MAC header gets a made-up one), one enhanced
// packet block per packet with a comment naming the probe, the drop reason and the
// netns, and at the end one statistics block per interface with the packets the ring
// buffer refused. Writes through a function, so a file and stdout (`-w -`) are the same.
import type { CapturedPacket, CaptureSite } from '../model/capture.js';
import { enhancedPacket, interfaceDescription, interfaceStatistics, LINKTYPE, sectionHeader } from './pcapng.js';

export interface CaptureFileOptions {
  write: (bytes: Buffer) => void;
  snaplen: number;
  /** The capture() call sites of the program (CompiledProgram.captures). */
  sites: CaptureSite[];
  /** An interface's name from its index in nettrace's own namespace. */
  interfaceName?: (ifindex: number) => string | undefined;
  /** The netns inode of nettrace itself: where xdp and tc probes attach. */
  ownNetns?: number;
  /** Wall-clock nanoseconds minus monotonic nanoseconds: turns bpf_ktime_get_ns() into a date. */
  clockOffsetNs: bigint;
  application: string;
}

interface InterfaceEntry {
  id: number;
  site: number;
  delivered: bigint;
}

export class CaptureFile {
  private readonly interfaces = new Map<string, InterfaceEntry>();
  private readonly startNs: bigint;
  /** Packets written, in all. */
  written = 0;

  constructor(private readonly o: CaptureFileOptions) {
    this.startNs = BigInt(Date.now()) * 1_000_000n;
    o.write(sectionHeader(o.application));
  }

  packet(p: CapturedPacket): void {
    const site = this.o.sites[p.site];
    if (!site) return;
    const iface = this.interfaceFor(site, p.ifindex, p.netns);
    iface.delivered++;
    this.written++;
    const made = p.rawIp ? madeUpEthernet(p.data) : undefined;
    const data = made ? Buffer.concat([made, p.data]) : p.data;
    this.o.write(
      enhancedPacket({
        interfaceId: iface.id,
        timestampNs: p.monotonicNs + this.o.clockOffsetNs,
        data,
        originalLength: Math.max(p.origLen + (made?.length ?? 0), data.length),
        comment: this.comment(site, p),
        direction: site.direction,
      }),
    );
  }

  /**
   * The statistics blocks: per interface, the packets written and, on each site's first
   * interface, the packets the ring refused at that site (the kernel counts them per
   * call site, not per interface). A site that wrote nothing but lost some gets an
   * interface of its own, so its losses are in the file too.
   */
  finish(refusedBySite: bigint[]): void {
    const now = BigInt(Date.now()) * 1_000_000n;
    const charged = new Set<number>();
    refusedBySite.forEach((refused, site) => {
      if (refused > 0n && this.o.sites[site] && ![...this.interfaces.values()].some((i) => i.site === site)) this.interfaceFor(this.o.sites[site], 0, undefined);
    });
    for (const iface of this.interfaces.values()) {
      const dropped = charged.has(iface.site) ? 0n : (refusedBySite[iface.site] ?? 0n);
      charged.add(iface.site);
      this.o.write(interfaceStatistics({ interfaceId: iface.id, timestampNs: now, startNs: this.startNs, received: iface.delivered + dropped, dropped, delivered: iface.delivered }));
    }
  }

  /** Interfaces are told apart by namespace too: two namespaces may both have an ifindex 2. */
  private interfaceFor(site: CaptureSite, ifindex: number, netns: number | undefined): InterfaceEntry {
    const own = netns === undefined || netns === this.o.ownNetns;
    const key = `${site.id}/${own ? 'own' : netns}/${ifindex}`;
    let entry = this.interfaces.get(key);
    if (!entry) {
      entry = { id: this.interfaces.size, site: site.id, delivered: 0n };
      this.interfaces.set(key, entry);
      const name = ifindex === 0 ? undefined : ((own ? this.o.interfaceName?.(ifindex) : undefined) ?? `ifindex ${ifindex}${own ? '' : ` in netns ${netns}`}`);
      this.o.write(
        interfaceDescription({
          linktype: LINKTYPE.ETHERNET,
          snaplen: this.o.snaplen,
          ...(name !== undefined && { name }),
          description: `nettrace ${site.probe}`,
        }),
      );
    }
    return entry;
  }

  /** `probe tracepoint:skb:kfree_skb; reason NO_SOCKET (3); netns 4026531840`. */
  private comment(site: CaptureSite, p: CapturedPacket): string {
    const parts = [`probe ${site.probe}`];
    if (site.direction) parts.push(`direction ${site.direction}`);
    if (p.reason !== undefined) {
      const name = site.reasonNames?.names[String(p.reason)];
      parts.push(`reason ${name !== undefined ? `${name} (${p.reason})` : p.reason}`);
    }
    const netns = p.netns ?? (site.fromSkb ? undefined : this.o.ownNetns);
    if (netns !== undefined) parts.push(`netns ${netns}`);
    if (p.rawIp) parts.push('no MAC header (addresses made up)');
    if (p.data.length < p.origLen && site.fromSkb && p.data.length < this.o.snaplen) parts.push('linear part only');
    return parts.join('; ');
  }
}

/** Zero addresses and the EtherType the IP version says: for a packet captured without its MAC header. */
function madeUpEthernet(ip: Buffer): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(ip.length > 0 && ip[0] >> 4 === 6 ? 0x86dd : 0x0800, 12);
  return eth;
}
