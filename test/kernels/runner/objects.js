// What nettrace runs leave in the kernel, seen from outside nettrace: bpftool for BPF
// programs, maps and links, `ip` for XDP, `tc` for filters and qdiscs. The leak rules are
// the reliability tests' (test/reliability/kernel-objects.js): nettrace's objects created
// after a baseline that no living process holds.
import { execFileSync } from 'node:child_process';
import { createLeakDetector, leakCount } from '../../reliability/kernel-objects.js';

const bpftool = (kind) => JSON.parse(execFileSync('bpftool', ['-j', kind, 'show'], { encoding: 'utf8' }) || '[]');

/** listKernelObjects as the leak detector expects it, from bpftool's JSON. */
function listKernelObjects(kind) {
  return bpftool(kind).map((o) => ({ id: o.id, name: o.name ?? '', progId: o.prog_id, mapIds: o.map_ids ?? [] }));
}

export const { baseline, waitForNoLeaks } = createLeakDetector(listKernelObjects);
export { leakCount };

/** XDP, tc filters and qdiscs on an interface, as text; empty when nothing is there. */
export function attachedTo(ifname) {
  const show = (...args) => execFileSync(args[0], args.slice(1), { encoding: 'utf8' }).trim();
  const xdp = /prog\/xdp|xdpgeneric|xdpdrv/.test(show('ip', '-d', 'link', 'show', 'dev', ifname)) ? 'xdp program attached' : '';
  return [
    xdp,
    show('tc', 'filter', 'show', 'dev', ifname, 'ingress'),
    show('tc', 'filter', 'show', 'dev', ifname, 'egress'),
    // A veth without qdiscs of its own shows only the default noqueue root qdisc.
    show('tc', 'qdisc', 'show', 'dev', ifname).split('\n').filter((l) => !/^qdisc noqueue 0: root/.test(l)).join('\n'),
  ].filter(Boolean).join('\n');
}
