// Routing decisions: each send from an unconnected socket is one FIB lookup, and the route's type is the answer.
import { expect, ownKey, type Lesson } from '../lesson.js';
import { sendDatagrams } from '../traffic.js';

/** Destinations outside the link's /29, each behind a route of one type (offsets in the sandbox's /28). */
const ROUTES = [
  { n: 9, type: 'via B', add: (gw: string) => ['via', gw], count: 4, err: 0, errno: '' },
  { n: 10, type: 'blackhole', add: () => [], count: 3, err: -22, errno: 'EINVAL' },
  { n: 11, type: 'unreachable', add: () => [], count: 2, err: -113, errno: 'EHOSTUNREACH' },
  { n: 12, type: 'prohibit', add: () => [], count: 1, err: -13, errno: 'EACCES' },
];

/** The tracepoint's device name when the answer has no device. */
const NO_DEVICE = '-';

type Figures = { sent: number; errors: Record<string, number> }[];

export const routing: Lesson<Figures> = {
  name: 'routing',
  title: 'routing decisions in the FIB',
  teaches: 'fib:fib_table_lookup answers each send with a gateway or the route type\'s error (blackhole, unreachable, prohibit)',
  script: 'routes.nt',
  async prepare(s) {
    for (const r of ROUTES) {
      const dst = `${s.addr(r.n)}/32`;
      s.exec(s.nsA, 'ip', ['route', 'add', ...(r.type === 'via B' ? [dst, ...r.add(s.addrB)] : [r.type, dst])]);
    }
    return `routes in ${s.nsA}: ${ROUTES.map((r) => `${s.addr(r.n)} ${r.type}`).join(', ')}`;
  },
  async traffic(s) {
    const figures: Figures = [];
    for (const r of ROUTES) figures.push(await sendDatagrams(s.nsA, { from: s.addrA, to: s.addr(r.n), port: 7000, count: r.count }));
    return figures;
  },
  describe: (s, f) => ROUTES.map((r, i) => `${r.count} to ${s.addr(r.n)} (${f[i].sent} sent${Object.keys(f[i].errors).length ? `, ${Object.entries(f[i].errors).map(([e, n]) => `${n} ${e}`).join(', ')}` : ''})`).join('; '),
  keep: (s, _map, key) => ownKey(s, [key[0]]),
  read(s, maps, f) {
    return {
      findings: ROUTES.map((r, i) =>
        r.err === 0
          ? expect(maps, `${f[i].sent} datagrams to ${s.addr(r.n)} were routed via ${s.addrB}`, '@lookups', [s.addr(r.n), s.addrB, s.ifA, 0], r.count)
          : expect(maps, `${f[i].errors[r.errno] ?? 0} sends to ${s.addr(r.n)} failed with ${r.errno} (a ${r.type} route)`, '@lookups', [s.addr(r.n), '0.0.0.0', NO_DEVICE, r.err], r.count),
      ).concat(expect(maps, `${s.nsB} looked each of the ${f[0].sent} routed datagrams up and found no route`, '@lookups', [s.addr(9), '0.0.0.0', NO_DEVICE, -11], f[0].sent)),
      explanation: [
        `Each sendto() on an unconnected socket looked its destination up once, in namespace ${s.nsA}'s table.`,
        'A blackhole route answers EINVAL (the packet vanishes), unreachable EHOSTUNREACH (locally an error; for',
        'a forwarded packet an ICMP host unreachable), prohibit EACCES (ICMP administratively prohibited).',
        `The datagrams routed via ${s.addrB} arrived there; ${s.nsB} has no route to ${s.addr(9)} (-11, EAGAIN: no match in`,
        'the table, which ip_route_input turns into "network unreachable"), so it dropped them and sent ICMP errors back:',
        `the lookups of ${s.addrA} itself are ${s.nsA} routing what came back: B's ICMP errors, received.`,
      ],
    };
  },
};
