// A veth pair for replaying a capture: frames are sent raw (AF_PACKET) from the end in
// the test's own namespace and arrive at the root end, where the probes attach. Names
// carry this suite's prefix (ntc); no addresses, no IPv6, so the kernel adds no frame of
// its own to the counts. Jumbo frames need an MTU above 1500; veth takes XDP programs
// without multi-buffer support up to about 3500.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { requireRoot } from '../../helpers/netns.js';

export interface ReplayLink {
  ns: string;
  rootIf: string;
  nsIf: string;
  /** Sends `pcapFile`'s frames in order from the namespace end, paced so no queue overflows. */
  replay(pcapFile: string): void;
  destroy(): void;
}

export const REPLAY_MTU = 3000;

// Python's AF_PACKET socket sends a frame exactly as given (no padding, no checksum).
const SENDER = `
import socket, struct, sys, time
ifname, path = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
at, sent = 24, 0
while at + 16 <= len(data):
    caplen = struct.unpack_from('<I', data, at + 8)[0]
    s.send(data[at + 16:at + 16 + caplen])
    at += 16 + caplen
    sent += 1
    if sent % 32 == 0:
        time.sleep(0.002)
print(sent)
`;

/** `prefix`: the name prefix of the calling suite's namespace and links (three letters). */
export function createReplayLink(workDir: string, prefix = 'ntc'): ReplayLink {
  requireRoot();
  const id = randomBytes(3).toString('hex');
  const ns = `${prefix}-${id}`;
  const rootIf = `${prefix}${id}r`;
  const nsIf = `${prefix}${id}n`;
  const sender = `${workDir}/send-frames.py`;
  writeFileSync(sender, SENDER);
  const run = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const link: ReplayLink = {
    ns, rootIf, nsIf,
    replay(pcapFile) {
      execFileSync('ip', ['netns', 'exec', ns, 'python3', sender, nsIf, pcapFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    },
    destroy() {
      spawnSync('ip', ['link', 'del', rootIf], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    },
  };
  try {
    run('netns', 'add', ns);
    run('link', 'add', rootIf, 'mtu', String(REPLAY_MTU), 'type', 'veth', 'peer', 'name', nsIf, 'mtu', String(REPLAY_MTU));
    run('link', 'set', nsIf, 'netns', ns);
    execFileSync('sysctl', ['-qw', `net.ipv6.conf.${rootIf}.disable_ipv6=1`]);
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${nsIf}.disable_ipv6=1`]);
    run('link', 'set', rootIf, 'up');
    run('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
  } catch (e) {
    link.destroy();
    throw e;
  }
  return link;
}
