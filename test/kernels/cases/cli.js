// Listing probes (-l, -lv) against what the kernel itself offers, and the diagnostic for
// a probe the kernel cannot attach.
import { readFileSync } from 'node:fs';
import { Refused } from '../runner/context.js';
import { assert, expectContains, expectStdout, expectSuccess } from '../runner/expect.js';

/** `TYPE NAME` of a tracepoint's own fields, as its tracefs format declares them. */
function formatFields(event) {
  const format = readFileSync(`/sys/kernel/tracing/events/${event}/format`, 'utf8');
  return [...format.matchAll(/^\s*field:(.+?);/gm)].map((m) => m[1]).filter((f) => !/\bcommon_\w+$/.test(f));
}

export default [
  {
    name: '-l: interfaces, tracepoints, kernel functions, kprobes as --info says',
    async run(t) {
      const l = t.link();
      const r = await t.run(['-l']);
      expectSuccess(r);
      const lines = new Set(r.stdout.split('\n'));
      for (const probe of [`xdp:${l.rootIf}`, `tc:${l.rootIf}:ingress`, `tc:${l.rootIf}:egress`, 'tracepoint:net:netif_receive_skb', 'rawtracepoint:netif_receive_skb', 'fentry:ip_rcv']) {
        assert.ok(lines.has(probe), `-l does not list ${probe}`);
      }
      assert.equal(lines.has('kprobe:icmp_rcv'), t.features.kprobes, `-l lists kprobe:icmp_rcv: ${lines.has('kprobe:icmp_rcv')}, --info says kprobes: ${t.features.kprobes}`);
    },
  },
  {
    name: '-lv: a tracepoint\'s fields as tracefs declares them',
    async run(t) {
      const r = await t.run(['-lv', 'tracepoint:skb:kfree_skb']);
      expectStdout(r, ['tracepoint:skb:kfree_skb', ...formatFields('skb/kfree_skb').map((f) => `    ${f}`), ''].join('\n'));
    },
  },
  {
    // The first probe kind --info says this kernel lacks must be refused with NT0206 and
    // name probes that can be used instead. A kernel that has every kind still refuses a
    // function it does not have (NT0205), with a did-you-mean.
    name: 'a probe this kernel cannot attach: diagnostic and hint',
    refusal: (f) => (!f.kprobes || !f.trampolines ? 'NT0206' : 'NT0205'),
    async run(t) {
      const kind = !t.features.kprobes ? 'kprobe' : !t.features.trampolines ? 'fentry' : undefined;
      const program = kind ? `${kind}:tcp_v4_rcv { @[args.skb->len] = count() }` : 'fentry:tcp_v4_rvc { @ = count() }';
      const hint = kind ? 'hint: probes near tcp_v4_rcv that this kernel can attach: ' : "hint: did you mean 'fentry:tcp_v4_rcv'?";
      await t.run(['-e', program]).catch((e) => {
        if (e instanceof Refused) expectContains(e.stderr, hint, 'diagnostic');
        throw e;
      });
    },
  },
];
