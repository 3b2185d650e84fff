// A full map is reported and counted, never silent: with --map-entries 8, datagrams to 20
// different ports make 8 keys and 12 refused updates, for an aggregation (count()) and
// for a plain map alike; both maps still print the 8 keys they hold.
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startCli, type RunningCli } from '../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../helpers/netns.js';

let link: TestLink | undefined;
let cli: RunningCli | undefined;

afterEach(() => {
  if (cli && cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  link?.destroy();
  link = undefined;
  cli = undefined;
});

describe('a map that fills up', () => {
  it('reports how many updates it refused, per map', async () => {
    link = createTestLink();
    cli = startCli(['--map-entries', '8', '-e', `xdp:${link.rootIf} { @ports[udp.dport] = count(); @len[udp.dport] = udp.len }`]);
    await cli.waitFor('Attaching 1 probe...');
    for (let port = 5000; port < 5020; port++) sendUdpFromNamespace(link, link.rootAddr, port, 1);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const out = cli.stdout();
    expect(out.match(/^@ports\[\d+\]: 1$/gm)).toHaveLength(8);
    expect(out.match(/^@len\[\d+\]: 24$/gm)).toHaveLength(8);
    expect(cli.stderr()).toContain('warning[NT0507]: @ports was full (8 entries): 12 updates were dropped');
    expect(cli.stderr()).toContain('warning[NT0507]: @len was full (8 entries): 12 updates were dropped');
    expect(cli.stderr()).toContain('hint: raise the limit of every map: --map-entries 1024');
  });

  it('says nothing when no map filled up', async () => {
    link = createTestLink();
    cli = startCli(['--map-entries', '8', '-e', `xdp:${link.rootIf} { @ports[udp.dport] = count() }`]);
    await cli.waitFor('Attaching 1 probe...');
    for (let port = 5000; port < 5008; port++) sendUdpFromNamespace(link, link.rootAddr, port, 1);
    await sleep(300);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout().match(/^@ports\[\d+\]: 1$/gm)).toHaveLength(8);
    expect(cli.stderr()).not.toContain('NT0507');
  });
});
