// SIGKILL while tracing with every kind of attachment nettrace makes (XDP, tc in both
// directions, a tracepoint, a ring buffer), then a new tc run on the same interface:
// afterwards nothing of nettrace's is left in the kernel. Links go with the killed
// process; classic tc filters (kernels without tcx) cannot, and the next run removes
// what a dead run left, including a clsact qdisc it made.
import { assert, expectSuccess } from '../runner/expect.js';
import { sendUdp } from '../runner/net.js';
import { attachedTo, baseline, leakCount, waitForNoLeaks } from '../runner/objects.js';

export default [
  {
    name: 'SIGKILL leaves nothing attached (programs, links, tc filters, qdiscs)',
    kind: 'SIGKILL cleanup',
    async run(t) {
      const l = t.link();
      const before = baseline();
      const program = [
        `xdp:${l.rootIf} { @x[ip.src] = count() }`,
        `tc:${l.rootIf}:ingress { @i[ip.src] = count() }`,
        `tc:${l.rootIf}:egress { @e[ip.dst] = sum(pkt.len) }`,
        `tracepoint:net:netif_receive_skb /args.name == "${l.rootIf}"/ { printf("rx %d\\n", args.len) }`,
      ].join('\n');
      const run = t.start(['-e', program]);
      await run.waitFor('Attaching 4 probes...');
      await sendUdp(l, { dest: l.rootAddr, port: 9, count: 3 });
      run.child.kill('SIGKILL');
      assert.equal(await run.exited, 'SIGKILL');

      const next = await t.run(['--timeout', '1', '-e', `tc:${l.rootIf}:ingress { @ = count() }`]);
      expectSuccess(next);
      const leaks = await waitForNoLeaks(before, 5000);
      assert.equal(leakCount(leaks), 0, `left in the kernel: ${JSON.stringify(leaks)}`);
      assert.equal(attachedTo(l.rootIf), '', `left on ${l.rootIf}`);
    },
  },
];
