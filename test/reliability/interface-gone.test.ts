// The interface under an xdp or tc probe is deleted while nettrace traces: it says so (NT0506),
// prints what it counted and exits 1 when no probe is left, or keeps the other probes
// running. Never a crash, never a stack trace, nothing left in the kernel.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../helpers/netns.js';
import { listKernelObjects } from '../../src/native/bpf.js';
import { createLeakDetector, leakCount } from './kernel-objects.js';

const { baseline, waitForNoLeaks } = createLeakDetector(listKernelObjects);

const links: TestLink[] = [];
let cli: RunningCli | undefined;

afterEach(() => {
  if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  for (const l of links.splice(0)) l.destroy();
  cli = undefined;
});

function newLink(): TestLink {
  const link = createTestLink();
  links.push(link);
  return link;
}

function deleteInterface(link: TestLink): void {
  // Deleting one end of a veth pair deletes both.
  execFileSync('ip', ['link', 'del', link.rootIf]);
}

/** Resolves with the exit status, or 'still running' after timeoutMs. */
function exitWithin(run: RunningCli, timeoutMs: number): Promise<number | string> {
  return Promise.race([run.exited, sleep(timeoutMs).then(() => 'still running')]);
}

describe('the interface of a probe disappears while tracing', () => {
  it('the only probe: reported, maps printed, exit 1', async () => {
    const before = baseline();
    const link = newLink();
    cli = startCli(['-e', `xdp:${link.rootIf} < @[ip.src] = count() >`]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdpFromNamespace(link, link.rootAddr, 9, 4);
    await sleep(300);
    deleteInterface(link);
    // The watch polls once a second.
    expect(await exitWithin(cli, 5000)).toBe(1);
    expect(cli.stderr()).toContain(`error[NT0506]: interface '${link.rootIf}' disappeared: xdp:${link.rootIf} is detached`);
    expect(cli.stderr()).not.toMatch(/\n\s+at /);
    expect(cli.stdout()).toContain(`@[${link.nsAddr}]: 4\n`);
    expect(leakCount(await waitForNoLeaks(before))).toBe(0);
  });

  it('a tc probe: the same', async () => {
    const link = newLink();
    cli = startCli(['-e', `tc:${link.rootIf}:ingress { @[ip.src] = count() }`]);
    await cli.waitFor('Attaching 1 probe...');
    sendUdpFromNamespace(link, link.rootAddr, 9, 3);
    await sleep(300);
    deleteInterface(link);
    expect(await exitWithin(cli, 5000)).toBe(1);
    expect(cli.stderr()).toContain(`error[NT0506]: interface '${link.rootIf}' disappeared: tc:${link.rootIf}:ingress is detached`);
    expect(cli.stdout()).toContain(`@[${link.nsAddr}]: 3\n`);
  });

  it('one of two probes: a warning, the other keeps counting', async () => {
    const gone = newLink();
    const kept = newLink();
    cli = startCli(['-e', `xdp:${gone.rootIf}, tc:${kept.rootIf}:ingress { @[ip.src] = count() }`]);
    await cli.waitFor('Attaching 2 probes...');
    deleteInterface(gone);
    for (let i = 0; i < 60 && !cli.stderr().includes('NT0506'); i++) await sleep(50);
    expect(cli.stderr()).toContain(`warning[NT0506]: interface '${gone.rootIf}' disappeared: xdp:${gone.rootIf} is detached`);
    expect(cli.stderr()).toContain('1 other probe(s) keep running');
    expect(await exitWithin(cli, 200)).toBe('still running');
    sendUdpFromNamespace(kept, kept.rootAddr, 9, 6);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain(`@[${kept.nsAddr}]: 6\n`);
  });
});
