// `nettrace -l` and `-lv`, against what the kernel itself lists.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestLink, type TestLink } from '../../helpers/netns.js';

let link: TestLink | undefined;

afterEach(() => {
  link?.destroy();
  link = undefined;
});

describe('nettrace -l', () => {
  it('a tracepoint pattern lists exactly what tracefs has', async () => {
    const expected = readFileSync('/sys/kernel/tracing/available_events', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('skb:'))
      .sort()
      .map((l) => `tracepoint:${l}`);
    const { code, stdout } = await runCli(['-l', 'tracepoint:skb:*']);
    expect(code).toBe(0);
    expect(stdout).toBe(expected.join('\n') + '\n');
  });

  it('aliases work in patterns; a word without a colon matches every kind', async () => {
    expect((await runCli(['-l', 't:sock:inet_sock_set_state'])).stdout).toBe('tracepoint:sock:inet_sock_set_state\n');
    const { stdout } = await runCli(['-l', 'kfree_skb']);
    const lines = stdout.split('\n');
    expect(lines).toContain('tracepoint:skb:kfree_skb');
    expect(lines).toContain('rawtracepoint:kfree_skb');
    expect(lines).toContain('fentry:kfree_skb_partial');
    expect(lines.every((l) => l === '' || l.includes('kfree_skb'))).toBe(true);
  });

  it('everything: interfaces for xdp and tc, tracepoints, raw tracepoints, kernel functions', async () => {
    link = createTestLink();
    const { code, stdout } = await runCli(['-l']);
    expect(code).toBe(0);
    const lines = new Set(stdout.split('\n'));
    for (const probe of [`xdp:${link.rootIf}`, `tc:${link.rootIf}:ingress`, `tc:${link.rootIf}:egress`, 'tracepoint:tcp:tcp_retransmit_skb', 'rawtracepoint:inet_sock_set_state', 'fentry:tcp_v4_rcv', 'fexit:tcp_v4_rcv']) {
      expect(lines.has(probe), probe).toBe(true);
    }
    // No kprobes on this kernel, so none are listed.
    expect(stdout).not.toContain('kprobe:');
  });
});

describe('nettrace -lv', () => {
  it('a tracepoint: its fields as the format declares them, and how nettrace reads them', async () => {
    const { code, stdout } = await runCli(['-lv', 'tracepoint:skb:kfree_skb']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'tracepoint:skb:kfree_skb',
        '    void * skbaddr',
        '    void * location',
        '    void * rx_sk',
        '    unsigned short protocol',
        '    enum skb_drop_reason reason',
        '',
      ].join('\n'),
    );
    const states = (await runCli(['-lv', 'tracepoint:sock:inet_sock_set_state'])).stdout;
    expect(states).toContain('    int newstate    (prints as TCP_ESTABLISHED, TCP_SYN_SENT, TCP_SYN_RECV, ...)\n');
    expect(states).toContain('    __u8[4] saddr    (ipv4 address)\n');
  });

  it('a raw tracepoint: BTF types and parameter names', async () => {
    const { stdout } = await runCli(['-lv', 'rawtracepoint:kfree_skb']);
    expect(stdout).toBe(['rawtracepoint:kfree_skb', '    struct sk_buff * skb', '    void * location', '    enum skb_drop_reason reason', '    struct sock * rx_sk', ''].join('\n'));
  });

  it('fexit shows retval; -l -v is -lv', async () => {
    const { stdout } = await runCli(['-l', '-v', 'fexit:tcp_v4_rcv']);
    expect(stdout).toBe('fexit:tcp_v4_rcv\n    struct sk_buff * skb\n    int retval\n');
  });

  it('an unknown probe is a diagnostic', async () => {
    const { code, stderr } = await runCli(['-lv', 't:skb:kfree_skbb']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0204]: the kernel has no tracepoint 'skb:kfree_skbb'");
    expect(stderr).toContain("did you mean 'tracepoint:skb:kfree_skb'?");
  });
});
