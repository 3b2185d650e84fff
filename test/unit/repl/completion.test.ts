import { describe, expect, it } from 'vitest';
import { applyCompletion, commonPrefix, complete, type CompletionSources } from '../../../src/repl/completion.js';

const sources: CompletionSources = {
  probeKinds: () => ['xdp', 'tc', 'tracepoint', 't'],
  interfaceKinds: () => ['xdp', 'tc'],
  interfaces: () => ['eth0', 'eth1', 'lo', 'veth-a'],
  tracepointKinds: () => ['tracepoint', 't'],
  tracepoints: () => ['net:netif_receive_skb', 'net:net_dev_xmit', 'skb:kfree_skb', 'sock:inet_sock_set_state'],
  words: () => ['count(', 'cpu', 'ifindex', 'ip', 'ip6', 'pkt', 'printf('],
  fields: (o) => (o === 'ip' ? ['src', 'dst', 'proto', 'ttl'] : o === 'pkt' ? ['len'] : []),
  commands: () => ['.help', '.list', '.detach', '.load', '.save', '.quit'],
  files: (dir) => (dir === '.' ? ['a.nt', 'b.nt', 'sub/'] : dir === 'sub/' ? ['c.nt'] : []),
};

const at = (text: string) => complete(text, text.length, sources);
const tab = (text: string) => applyCompletion(text, text.length, at(text));

describe('Tab completion', () => {
  it('completes probe kinds at the start', () => {
    expect(at('x')).toEqual({ start: 0, candidates: ['xdp:'] });
    expect(at('t').candidates).toEqual(['t:', 'tc:', 'tracepoint:']);
    expect(tab('x').text).toBe('xdp:');
  });

  it('completes interface names after xdp: and tc:', () => {
    expect(at('xdp:e').candidates).toEqual(['xdp:eth0', 'xdp:eth1']);
    expect(tab('xdp:e')).toEqual({ text: 'xdp:eth', cursor: 7, listed: ['xdp:eth0', 'xdp:eth1'] });
    expect(tab('xdp:l').text).toBe('xdp:lo');
    expect(tab('tc:v').text).toBe('tc:veth-a');
    expect(tab('tc:eth0:i').text).toBe('tc:eth0:ingress');
  });

  it('completes tracepoints: the category first, then the name', () => {
    expect(at('tracepoint:').candidates).toEqual(['tracepoint:net:', 'tracepoint:skb:', 'tracepoint:sock:']);
    expect(tab('t:sk').text).toBe('t:skb:kfree_skb');
    expect(at('tracepoint:net:net').candidates).toEqual(['tracepoint:net:net_dev_xmit', 'tracepoint:net:netif_receive_skb']);
  });

  it('completes probes after a comma in a probe list and after a block', () => {
    expect(tab('xdp:lo, xdp:e').listed).toEqual(['xdp:eth0', 'xdp:eth1']);
    expect(tab('xdp:lo { @ = count() } x').text).toBe('xdp:lo { @ = count() } xdp:');
  });

  it('completes builtins and header fields inside a block', () => {
    expect(tab('xdp:lo { @[ip.s').text).toBe('xdp:lo { @[ip.src');
    expect(at('xdp:lo { @[ip.').candidates).toEqual(['ip.dst', 'ip.proto', 'ip.src', 'ip.ttl']);
    expect(tab('xdp:lo { @[ip.src] = co').text).toBe('xdp:lo { @[ip.src] = count(');
    expect(tab('xdp:lo < @[pkt.l').text).toBe('xdp:lo < @[pkt.len');
    expect(at('xdp:lo { @[ip').candidates).toEqual(['ip', 'ip6']);
  });

  it('leaves map and variable names alone, and strings', () => {
    expect(at('xdp:lo { @co').candidates).toEqual([]);
    expect(at('xdp:lo { $co').candidates).toEqual([]);
    expect(at('xdp:lo { printf("co').candidates).toEqual([]);
  });

  it('completes commands and the files of .load and .save', () => {
    expect(tab('.q').text).toBe('.quit ');
    expect(at('.l').candidates).toEqual(['.list ', '.load ']);
    expect(tab('.load a').text).toBe('.load a.nt');
    expect(tab('.save s').text).toBe('.save sub/');
    expect(tab('.load sub/').text).toBe('.load sub/c.nt');
  });

  it('completes in the middle of a line, replacing only the word before the cursor', () => {
    const text = 'xdp:e { @ = count() }';
    const done = applyCompletion(text, 5, complete(text, 5, sources));
    expect(done.text).toBe('xdp:eth { @ = count() }');
    expect(done.cursor).toBe(7);
  });

  it('common prefix', () => {
    expect(commonPrefix(['abc', 'abd', 'ab'])).toBe('ab');
    expect(commonPrefix([])).toBe('');
  });
});

describe('live completion sources', () => {
  it('come from the compiler tables and the environment', async () => {
    const { liveCompletionSources } = await import('../../../src/repl/completion-sources.js');
    const live = liveCompletionSources({ interfaces: () => ['eth0', 'veth1'] });
    expect(live.probeKinds()).toContain('xdp');
    expect(tabWith(live, 'xdp:v')).toBe('xdp:veth1');
    expect(tabWith(live, 'xdp:eth0 { @[tcp.dp')).toBe('xdp:eth0 { @[tcp.dport');
    expect(tabWith(live, 'xdp:eth0 { @[pkt.')).toBe('xdp:eth0 { @[pkt.len');
    expect(tabWith(live, 'xdp:eth0 { @ = cou')).toBe('xdp:eth0 { @ = count(');
    expect(tabWith(live, 'xdp:eth0 { @[ifi')).toBe('xdp:eth0 { @[ifindex');
    expect(tabWith(live, '.inter')).toBe('.interval ');
  });
});

function tabWith(s: CompletionSources, text: string): string {
  return applyCompletion(text, text.length, complete(text, text.length, s)).text;
}
