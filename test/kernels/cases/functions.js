// issue 11's functions and builtins on each kernel of the matrix: func and kstack where
// the kernel has fentry (BPF trampolines) or kprobes, kstack/ksym/kaddr/username/elapsed/
// strftime on a tracepoint everywhere, under the ping traffic of the case's namespace.
// bpf_get_stackid, bpf_ktime_get_ns and the stack-trace map are older than 5.10.
import { assert, expectMaps, expectSuccess } from '../runner/expect.js';
import { ping } from '../runner/net.js';

const noTrampolines = (f) => (f.trampolines ? undefined : 'NT0206');
const noKprobes = (f) => (f.kprobes ? undefined : 'NT0206');

export default [
  {
    name: 'functions: kstack, ksym(kaddr()), username, elapsed, strftime at netif_receive_skb',
    kind: 'tracepoint',
    async run(t) {
      const l = t.link();
      const program =
        `tracepoint:net:netif_receive_skb /args.name == "${l.rootIf}" && args.len == 128/ ` +
        '{ @[kstack(1)] = count(); @k[ksym(kaddr("icmp_rcv"))] = count(); @u[username] = count(); @late[elapsed > 1000000000000] = count(); ' +
        '@t[strftime("%Y", nsecs)] = count() }';
      // ping -s 100: IP packets of 20 + 8 + 100 bytes.
      const r = await t.trace(['-e', program], () => ping(l, 4, 100));
      expectSuccess(r);
      const year = new Date().getFullYear();
      // The innermost frame, where the tracepoint is, as symbol+offset (the frames below
      // it differ between the first packet and the others).
      assert.match(r.stdout, /\n@\[\n {4}[\w.]+\+\d+\n\]: 4\n/, r.stdout);
      for (const line of ['@k[icmp_rcv]: 4', '@late[false]: 4']) assert.ok(r.stdout.includes(`${line}\n`), `expected ${line} in:\n${r.stdout}`);
      // Each strftime() value is its own key (the nanoseconds), printed alike, as in bpftrace.
      assert.equal(r.stdout.split('\n').filter((line) => line === `@t[${year}]: 1`).length, 4, r.stdout);
      assert.match(r.stdout, /\n@u\[\w+\]: 4\n/, r.stdout);
    },
  },
  {
    name: 'functions: func and kstack in fentry:ip_rcv',
    kind: 'fentry',
    refusal: noTrampolines,
    async run(t) {
      const l = t.link();
      const r = await t.trace(['-e', `fentry:ip_rcv /args.skb.ip.src == ${l.nsAddr}/ { @[func] = count(); @s[kstack(1)] = count() }`], () => ping(l, 4));
      expectSuccess(r);
      assert.ok(r.stdout.includes('@[ip_rcv]: 4\n'), r.stdout);
      assert.match(r.stdout, /\n@s\[\n {4}[\w.]+\+\d+\n\]: 4\n/, r.stdout);
    },
  },
  {
    name: 'functions: func and arg0 in kprobe:icmp_rcv',
    kind: 'kprobe',
    refusal: noKprobes,
    async run(t) {
      const l = t.link();
      const r = await t.trace(['-e', `kprobe:icmp_rcv /args.skb->dev->name == "${l.rootIf}"/ { @[func, arg0 != 0] = count() }`], () => ping(l, 4));
      expectMaps(r, ['@[icmp_rcv, true]: 4']);
    },
  },
];
