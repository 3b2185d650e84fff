// NAPI and the softirq budget: receive work is done in polls of up to 64 packets.
import { execFileSync } from 'node:child_process';
import { expect, ownKey, type Lesson } from '../lesson.js';
import { sendDatagrams } from '../traffic.js';

const DATAGRAMS = 200;
const BUDGET = 64;
/** The CPU the sender and the poll thread share. */
const CPU = 0;

/** The pid of the kernel thread that polls the interface (its name is napi/IFACE-ID, cut to 15 characters). */
function napiThread(ifname: string): number {
  const name = `napi/${ifname}`.slice(0, 15);
  const ps = execFileSync('ps', ['-eo', 'pid=,comm='], { encoding: 'utf8' });
  const line = ps.split('\n').find((l) => l.trim().split(/\s+/)[1]?.startsWith(name));
  if (!line) throw new Error(`no NAPI thread for ${ifname}`);
  return Number(line.trim().split(/\s+/)[0]);
}

export const napi: Lesson<{ sent: number }> = {
  name: 'napi',
  title: 'NAPI polls and the softirq budget',
  teaches: 'napi:napi_poll shows received packets taken in polls of at most 64 (the budget); the work adds up to the frames',
  script: 'napi.nt',
  async traffic(s) {
    // veth has NAPI only once XDP is attached (the script just did): now it can be threaded,
    // and its thread put on the sender's CPU, where the real-time sender keeps it waiting
    // until every datagram sits in veth's ring.
    s.exec(s.nsA, 'sh', ['-c', `echo 1 > /sys/class/net/${s.ifA}/threaded`]);
    const thread = napiThread(s.ifA);
    execFileSync('taskset', ['-p', '-c', String(CPU), String(thread)], { stdio: 'ignore' });
    return { sent: (await sendDatagrams(s.nsB, { from: s.addrB, to: s.addrA, port: 7000, count: DATAGRAMS, burst: true, realtimeOnCpu: CPU })).sent };
  },
  describe: (s, f) => `${f.sent} UDP datagrams from ${s.addrB} to ${s.addrA} in one burst, by a real-time sender on CPU ${CPU}`,
  keep: (s, _map, key) => ownKey(s, key),
  read(s, maps, f) {
    const polls = Math.ceil(f.sent / BUDGET);
    const full = Math.floor(f.sent / BUDGET);
    return {
      findings: [
        expect(maps, `${f.sent} frames arrived`, '@frames', [s.addrB], f.sent),
        expect(maps, `the polls of ${s.ifA} took all ${f.sent} of them`, '@work', [s.ifA], f.sent),
        expect(maps, `${f.sent} waiting packets need ${polls} polls of at most ${BUDGET}`, '@polls', [s.ifA], polls),
        expect(maps, `${full} of them used the whole budget`, '@budget_used_up', [s.ifA], full),
      ],
      explanation: [
        'veth receives through NAPI once XDP is attached: the sender puts frames in a ring and schedules a poll.',
        `The lesson made the poll wait (threaded NAPI, its thread on CPU ${CPU} behind a real-time sender), so all ${f.sent}`,
        `were waiting when it ran: it took ${BUDGET}, ${BUDGET}, ${BUDGET}, then the last ${f.sent - full * BUDGET}, and stopped when a poll came back short.`,
        'Normally the poll runs in the NET_RX softirq right after each send, and every poll finds one packet;',
        'on a busy NIC frames pile up between interrupts the same way, and polls that use their whole budget',
        'are the sign: after netdev_budget (300) packets or 2 ms the softirq yields to ksoftirqd.',
      ],
    };
  },
};
