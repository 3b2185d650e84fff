// What the journey view shows, from the journey program's maps: a count per stage, the
// average time from the stage before, and the drops on the interface, each branched off
// the stage its reason belongs to.
import { formatValue } from '../format/values.js';
import type { MapReading } from '../model/map-reading.js';
import type { Direction } from './program.js';

export interface Drop {
  reason: string;
  count: number;
}

export interface Stage {
  label: string;
  count: number;
  /** Average nanoseconds from the stage above, per paired packet. */
  latencyNs?: number;
  /** A split of the count ("udp 25, icmp 2"). */
  detail?: string;
  drops: Drop[];
}

export interface JourneyState {
  ifname: string;
  direction: Direction;
  stages: Stage[];
  /** Drops on the interface whose reason belongs to no stage (NOT_SPECIFIED ...). */
  otherDrops: Drop[];
}

type Table = Map<string, { key: string[]; value: number }[]>;

function table(readings: MapReading[]): Table {
  const t: Table = new Map();
  for (const r of readings) {
    const types = r.map.key.fields.map((f) => f.type);
    t.set(
      r.map.displayName,
      r.entries.map((e) => ({ key: e.keyValues.map((v, i) => formatValue(types[i], v)), value: Number(e.value) })),
    );
  }
  return t;
}

const total = (t: Table, name: string) => (t.get(name) ?? []).reduce((n, e) => n + e.value, 0);
const single = (t: Table, name: string) => (t.get(name) ?? [])[0]?.value;

/** Protocol numbers as the sock tracepoints give them. */
const PROTOCOLS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp' };

function split(t: Table, name: string, names: Record<string, string> = {}): string | undefined {
  const entries = [...(t.get(name) ?? [])].filter((e) => e.value > 0).sort((a, b) => b.value - a.value);
  return entries.length === 0 ? undefined : entries.map((e) => `${names[e.key[0]] ?? e.key[0]} ${e.value}`).join(', ');
}

/** The stage (index) a drop reason belongs to, by the kernel's naming of enum skb_drop_reason. */
function stageOfReason(direction: Direction, reason: string): number | undefined {
  if (direction === 'rx') {
    if (/^(CPU_BACKLOG|XDP)/.test(reason)) return 1;
    if (/^TC_/.test(reason)) return 2;
    if (/^(IP_|IPV6|NETFILTER|OTHERHOST|PKT_TOO_SMALL|PKT_TOO_BIG|HDR_TRUNC|INVALID_PROTO|UNHANDLED_PROTO)/.test(reason)) return 3;
    if (/^(NO_SOCKET|UDP_|TCP_|ICMP|SOCKET_|PROTO_MEM|SOCKET_FILTER)/.test(reason)) return 4;
    return undefined;
  }
  if (/^(TC_|NEIGH_)/.test(reason)) return 1;
  if (/^QDISC_/.test(reason)) return 2;
  if (/^(DEV_|FULL_RING)/.test(reason)) return 3;
  return undefined;
}

export function journeyState(ifname: string, direction: Direction, readings: MapReading[]): JourneyState {
  const t = table(readings);
  const stages: Stage[] =
    direction === 'rx'
      ? [
          { label: 'NIC / XDP', count: total(t, '@xdp'), drops: [] },
          { label: 'netif_receive_skb', count: total(t, '@netif'), latencyNs: single(t, '@lat_xdp_netif'), drops: [] },
          { label: 'tc ingress', count: total(t, '@tc'), latencyNs: single(t, '@lat_netif_tc'), drops: [] },
          { label: 'IP (IPv4)', count: total(t, '@proto'), detail: split(t, '@proto'), drops: [] },
          { label: 'socket', count: total(t, '@socket'), detail: split(t, '@socket', PROTOCOLS), drops: [] },
        ]
      : [
          { label: 'socket (sendmsg)', count: total(t, '@socket'), detail: split(t, '@socket', PROTOCOLS), drops: [] },
          { label: 'tc egress', count: total(t, '@tc'), detail: split(t, '@proto'), drops: [] },
          { label: 'net_dev_queue (qdisc)', count: total(t, '@queue'), drops: [] },
          { label: 'driver: start_xmit', count: total(t, '@start'), latencyNs: single(t, '@lat_queue_start'), drops: [] },
          { label: 'driver: done (net_dev_xmit)', count: total(t, '@xmit'), latencyNs: single(t, '@lat_start_xmit'), drops: [] },
        ];
  const otherDrops: Drop[] = [];
  for (const e of [...(t.get('@drops') ?? [])].sort((a, b) => b.value - a.value)) {
    const drop = { reason: e.key[0], count: e.value };
    const stage = stageOfReason(direction, drop.reason);
    (stage === undefined ? otherDrops : stages[stage].drops).push(drop);
  }
  return { ifname, direction, stages, otherDrops };
}
