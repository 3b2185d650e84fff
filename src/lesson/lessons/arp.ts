// Neighbour resolution: the first packet to a new address waits for ARP.
import { expect, type Lesson } from '../lesson.js';
import { pause } from '../traffic.js';

export const arp: Lesson<{ replies: number }> = {
  name: 'arp',
  title: 'neighbour resolution (ARP)',
  teaches: 'the first ping to a new neighbour makes an ARP request and reply; both hosts create a neighbour entry',
  script: 'neighbours.nt',
  staticNeighbours: false,
  async traffic(s) {
    const out = s.exec(s.nsB, 'ping', ['-n', '-q', '-c', '1', '-W', '1', s.addrA]);
    await pause(100);
    return { replies: Number(/(\d+) received/.exec(out)?.[1] ?? 0) };
  },
  describe: (s, f) => `one ping from ${s.addrB} to ${s.addrA} (${f.replies} reply), with empty neighbour tables`,
  keep: (s, map, key) => map === '@arp' || key[0] === s.ifA || key[0] === s.ifB,
  read(s, maps) {
    return {
      findings: [
        expect(maps, `${s.addrB} did not know ${s.addrA}'s MAC: it created an entry`, '@created', [s.ifB, s.addrA], 1),
        expect(maps, `its ARP request arrived on ${s.ifA}`, '@arp', ['ingress'], 1),
        expect(maps, `${s.addrA} learned the asker from the request`, '@created', [s.ifA, s.addrB], 1),
        expect(maps, 'and sent one ARP reply', '@arp', ['egress'], 1),
        expect(maps, `the reply made B's entry reachable`, '@updates', [s.ifB, s.addrA, 'incomplete', 'reachable'], 1),
        expect(maps, `A's entry for B was born stale: learned from a request, not confirmed`, '@updates', [s.ifA, s.addrB, 0, 'stale'], 1),
      ],
      explanation: [
        'The echo request waited in the new INCOMPLETE entry\'s queue until the reply filled in the MAC.',
        `${s.addrA} answered from what the request told it (a STALE entry for ${s.addrB}): no second ARP exchange.`,
        'Every later packet finds the entry; it ages to STALE and is checked again only when used after that.',
        'The other lessons set permanent entries (NUD_PERMANENT), so none of this adds to their counts.',
      ],
    };
  },
};
