// Two programs with kstack running at once, as the REPL runs them: each has a stack map of
// its own, and each program's stack ids must print as the frames of its own map. One
// datagram of 1000 bytes (1042 on the wire) leaves the root namespace for the test's
// peer; net_dev_queue fires before the driver is called, net_dev_xmit inside it.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestLink, type TestLink } from '../../helpers/netns.js';
import { randomPort } from '../tracing/traffic.js';
import { createKernelEngine } from '../../../src/repl/kernel-engine.js';
import { liveEnv } from '../../../src/runtime/live-env.js';
import { formatMapText } from '../../../src/format/maps-text.js';
import type { Engine } from '../../../src/repl/engine.js';

let link: TestLink | undefined;
let engine: Engine | undefined;

afterEach(() => {
  engine?.closeAll();
  link?.destroy();
  engine = link = undefined;
});

describe('kstack in two programs at once', () => {
  it('each program prints the stacks of its own map', async () => {
    link = createTestLink('nks');
    engine = createKernelEngine(liveEnv);
    await engine.ready?.();
    const filter = `/args.len == 1042 && str(args.name) == "${link.rootIf}"/`;
    const queued = engine.attach(`tracepoint:net:net_dev_queue ${filter} { @queued[kstack] = count() }`, '<repl>');
    const sent = engine.attach(`tracepoint:net:net_dev_xmit ${filter} { @sent[kstack] = count() }`, '<repl>');
    const port = randomPort();
    spawnSync(process.execPath, ['-e', `const s = require('node:dgram').createSocket('udp4'); s.send(Buffer.alloc(1000, 120), ${port}, '${link.nsAddr}', () => s.close())`]);

    const text = (id: number) =>
      engine!
        .read()
        .find((r) => r.program.id === id)!
        .maps.map((m) => formatMapText(m))
        .join('');
    const queuedText = text(queued.id);
    const sentText = text(sent.id);
    const frames = (t: string) => t.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.trim().replace(/\+\d+$/, ''));

    // One stack each, counted once, and both come from the same sendmsg() of the datagram.
    expect(queuedText).toMatch(/^@queued\[\n( {4}\S+\n)+\]: 1$/);
    expect(sentText).toMatch(/^@sent\[\n( {4}\S+\n)+\]: 1$/);
    expect(frames(queuedText)).toContain('udp_sendmsg');
    expect(frames(sentText)).toContain('udp_sendmsg');
    // Only the driver's side of the transmit runs under dev_hard_start_xmit.
    expect(frames(sentText)).toContain('dev_hard_start_xmit');
    expect(frames(queuedText)).not.toContain('dev_hard_start_xmit');
  });
});
