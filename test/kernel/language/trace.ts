// Runs nettrace on the test's own veth link exactly as a user would: start it, wait
// until every probe is attached, send traffic from the namespace, stop it with Ctrl-C
// (or let exit() stop it) and hand back what it printed.
import { sleep, startCli, type RunningCli } from '../../helpers/cli.js';
import { createTestLink, sendUdpFromNamespace, type TestLink } from '../../helpers/netns.js';

export interface Traced {
  code: number | string;
  stdout: string;
  stderr: string;
}

export class TraceRun {
  link?: TestLink;
  cli?: RunningCli;

  /** Creates the link; call cleanup() in afterEach. */
  newLink(): TestLink {
    this.link = createTestLink();
    return this.link;
  }

  async start(args: string[], attached = 'Attaching '): Promise<RunningCli> {
    this.cli = startCli(args);
    await this.cli.waitFor(attached);
    return this.cli;
  }

  /** Sends `count` datagrams of `payload` bytes to the root end's `port`. */
  udp(port: number, count: number, payload = 16): void {
    sendUdpFromNamespace(this.link!, this.link!.rootAddr, port, count, payload);
  }

  /** Lets the last packets and records through, then stops nettrace with SIGINT. */
  async stop(settleMs = 300): Promise<Traced> {
    await sleep(settleMs);
    this.cli!.child.kill('SIGINT');
    return this.exited();
  }

  async exited(): Promise<Traced> {
    const code = await this.cli!.exited;
    return { code, stdout: this.cli!.stdout(), stderr: this.cli!.stderr() };
  }

  cleanup(): void {
    if (this.cli && this.cli.child.exitCode === null && this.cli.child.signalCode === null) this.cli.child.kill('SIGKILL');
    this.link?.destroy();
    this.link = undefined;
    this.cli = undefined;
  }
}

/** The bytes XDP sees of a UDP datagram with `payload` bytes: Ethernet, IPv4, UDP headers. */
export function frameLength(payload: number): number {
  return 14 + 20 + 8 + payload;
}
