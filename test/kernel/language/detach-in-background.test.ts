// The command line's end of a run closes the links on libuv's pool while it reads and
// prints the maps (Session.finish, detachInBackground): closing a link waits for an RCU
// grace period. That may only happen when nothing has to come after the detach: a
// program with END, printf records or capture() detaches at once, as before. In every
// case the probes stop counting and no link is left once detached() resolves.
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../../src/compile.js';
import { liveEnv } from '../../../src/runtime/live-env.js';
import { Session } from '../../../src/runtime/session.js';
import { listKernelObjects } from '../../../src/native/bpf.js';
import { createTestLink, requireRoot, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

requireRoot();

let link: TestLink | undefined;
let session: Session | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
  link?.destroy();
  link = undefined;
});

const linkIdsOf = (progIds: Set<number>) => listKernelObjects('link').filter((l) => progIds.has(l.progId)).map((l) => l.id);

function start(source: string): { session: Session; progIds: Set<number> } {
  const before = new Set(listKernelObjects('prog').map((p) => p.id));
  session = Session.start(compile(source, liveEnv));
  const progIds = new Set(listKernelObjects('prog').filter((p) => !before.has(p.id) && p.name.startsWith('nt_')).map((p) => p.id));
  return { session, progIds };
}

/** The count under `@n` for the one key, 0 when absent. */
function counted(s: Session): bigint {
  const reading = s.readMaps().find((r) => r.map.displayName === '@n')!;
  return reading.entries.reduce((sum, e) => sum + e.value, 0n);
}

describe('detaching in the background at the end of a run', () => {
  it('a counting program: links closed on the pool, none left once detached() resolves, nothing counted after', async () => {
    link = createTestLink('nbd');
    const { session: s, progIds } = start(`xdp:${link.rootIf} { @n[ip.src] = count() }`);
    expect(linkIdsOf(progIds)).toHaveLength(1);
    sendUdpFromNamespace(link, link.rootAddr, 9, 7);
    s.finish({ detachInBackground: true });
    // finish() returned without waiting: the probe is no longer the session's, and the
    // close is still going on (or done) on another thread.
    expect(s.probes.every((p) => p.attachment === undefined)).toBe(true);
    await s.detached();
    expect(linkIdsOf(progIds)).toEqual([]);
    sendUdpFromNamespace(link, link.rootAddr, 9, 5);
    expect(counted(s)).toBe(7n);
  });

  for (const [what, source] of [
    ['END', (ifname: string) => `xdp:${ifname} { @n[ip.src] = count() } END { @e = count() }`],
    ['printf records', (ifname: string) => `xdp:${ifname} { @n[ip.src] = count(); printf("x\\n") }`],
  ] as const) {
    it(`a program with ${what}: detached before finish() returns`, async () => {
      link = createTestLink('nbd');
      const { session: s, progIds } = start(source(link.rootIf));
      sendUdpFromNamespace(link, link.rootAddr, 9, 3);
      s.finish({ detachInBackground: true });
      expect(linkIdsOf(progIds)).toEqual([]);
      await s.detached();
      sendUdpFromNamespace(link, link.rootAddr, 9, 4);
      expect(counted(s)).toBe(3n);
    });
  }
});
