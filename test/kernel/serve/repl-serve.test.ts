// The REPL's `.serve`: the kernel engine serves every running program's maps, each series
// labelled with its program's id, and stops when told or when the REPL closes.
import { afterEach, describe, expect, it } from 'vitest';
import { liveEnv } from '../../../src/runtime/live-env.js';
import { createKernelEngine } from '../../../src/repl/kernel-engine.js';
import type { Engine } from '../../../src/repl/engine.js';
import { sleep } from '../../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.stopServing?.();
  engine?.closeAll();
  link?.destroy();
  [link, engine] = [undefined, undefined];
});

describe('.serve in the REPL', () => {
  it('serves the maps of every attached program, labelled by program', async () => {
    link = createTestLink('ntp');
    engine = createKernelEngine(liveEnv);
    await engine.ready?.();
    engine.attach(`xdp:${link.rootIf} /udp.dport == 9/ { @packets = count() }`, '<repl>');
    engine.attach(`tc:${link.rootIf}:ingress /udp.dport == 9/ { @packets = count(); @size = hist(pkt.len) }`, '<repl>');
    const url = await engine.serve!({ host: '127.0.0.1', port: 0 }, () => {});
    sendUdpFromNamespace(link, link.rootAddr, 9, 6);
    await sleep(300);
    const text = await (await fetch(url)).text();
    expect(text).toContain('nettrace_packets_total{program="1"} 6\n');
    expect(text).toContain('nettrace_packets_total{program="2"} 6\n');
    expect(text).toContain('nettrace_size_bucket{program="2",le="+Inf"} 6\n');
    // Program 1 detached: its series go with it.
    engine.detach(1);
    expect(await (await fetch(url)).text()).not.toContain('program="1"');
    expect(await engine.stopServing!()).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
  });
});
