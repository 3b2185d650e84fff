// Symbolic constants on the host kernel: NO_SOCKET, TCP_ESTABLISHED, IPPROTO_UDP and
// SYN|ACK resolved from this kernel's BTF (flags from nettrace's table), counted on traffic
// between the test's own namespace and the root namespace. The drop-reason program runs
// through bpftrace 0.17 at the same time, on the same traffic (bench/setup.sh installs it).
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestLink, interfaceIndex, type TestLink } from '../../helpers/netns.js';
import { randomPort, tcpClientFromNamespace, tcpServer, traceDuring, udpFromNamespace } from '../tracing/traffic.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

/** bpftrace running `program` until stop() sends SIGINT; resolves with what it printed. */
async function startBpftrace(program: string): Promise<{ stop(): Promise<string> }> {
  if (spawnSync('sh', ['-c', 'command -v bpftrace']).status !== 0) throw new Error('bpftrace is not installed: run bench/setup.sh (this test compares nettrace with it)');
  const child = spawn('bpftrace', ['-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (out.includes('Attaching')) {
        clearInterval(poll);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`bpftrace exited before attaching: ${out}`));
      }
    }, 20);
  });
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      return out;
    },
  };
}

describe('symbolic constants on this kernel', () => {
  it('args.reason == NO_SOCKET counts UDP to a closed port exactly, as bpftrace counts SKB_DROP_REASON_NO_SOCKET', async () => {
    link = createTestLink('ntn');
    const ifindex = interfaceIndex(link.rootIf);
    const onLink = `((struct sk_buff *)args.skbaddr)->dev->ifindex == ${ifindex}`;
    const bpftrace = await startBpftrace(`tracepoint:skb:kfree_skb /args->reason == SKB_DROP_REASON_NO_SOCKET && ${onLink.replace('args.', 'args->')}/ { @ = count() }`);
    let bpftraceOut = '';
    try {
      const program = `tracepoint:skb:kfree_skb /args.reason == NO_SOCKET && ${onLink}/ { @ = count() }`;
      const { stdout, code } = await traceDuring(['-e', program], () => udpFromNamespace(link!, link!.rootAddr, randomPort(), 7), 500);
      expect(code).toBe(0);
      expect(stdout).toContain('@: 7\n');
    } finally {
      bpftraceOut = await bpftrace.stop();
    }
    expect(bpftraceOut).toContain('@: 7\n');
  });

  it('the full C name SKB_DROP_REASON_NO_SOCKET means the same', async () => {
    link = createTestLink('ntn');
    const program = `tracepoint:skb:kfree_skb /args.reason == SKB_DROP_REASON_NO_SOCKET && ((struct sk_buff *)args.skbaddr)->dev->ifindex == ${interfaceIndex(link.rootIf)}/ { @ = count() }`;
    const { stdout } = await traceDuring(['-e', program], () => udpFromNamespace(link!, link!.rootAddr, randomPort(), 3), 500);
    expect(stdout).toContain('@: 3\n');
  });

  it('newstate == TCP_ESTABLISHED, tcp.flags == SYN|ACK and IPPROTO_UDP on one handshake and a burst of UDP', async () => {
    link = createTestLink('ntn');
    const port = randomPort();
    const server = await tcpServer(link.rootAddr, port);
    try {
      const program = [
        `tracepoint:sock:inet_sock_set_state /args.newstate == TCP_ESTABLISHED && args.oldstate == TCP_SYN_SENT && args.dport == ${port}/ { @established = count() }`,
        `tc:${link.rootIf}:egress /tcp.flags == SYN|ACK && tcp.sport == ${port}/ { @synack = count() }`,
        `tc:${link.rootIf}:ingress /(tcp.flags & SYN) != 0 && tcp.dport == ${port}/ { @syn = count() }`,
        `tc:${link.rootIf}:ingress /ip.proto == IPPROTO_UDP/ { @udp = count() }`,
      ].join('\n');
      const { stdout, stderr } = await traceDuring(['-e', program], async () => {
        await tcpClientFromNamespace(link!, link!.rootAddr, port);
        udpFromNamespace(link!, link!.rootAddr, randomPort(), 5);
      }, 500);
      expect(stderr).toBe('');
      expect(stdout).toContain('@established: 1\n');
      expect(stdout).toContain('@synack: 1\n');
      expect(stdout).toContain('@syn: 1\n');
      expect(stdout).toContain('@udp: 5\n');
    } finally {
      server.close();
    }
  });
});
