// fentry/fexit and kprobes on the running kernel. Both are type-checked from BTF first;
// whether the kernel can run them is decided by nettrace's feature probe, and so is what
// each test expects: on a kernel with BPF trampolines (or kprobes) the program verifies,
// on one without (this project's own machine: no kprobes, trampolines refused) the
// diagnostic names tracepoints near the function. The kernel matrix (test/kernels) runs
// both sides with traffic.
import { describe, expect, it } from 'vitest';
import { hasFeature } from '../../../src/runtime/features.js';
import { runCli } from '../../helpers/cli.js';

const trampolines = hasFeature('trampolines');
const kprobes = hasFeature('kprobes');

describe(`fentry / fexit (this kernel ${trampolines ? 'has' : 'refuses'} BPF trampolines)`, () => {
  it('type-check, compile, then load: verified, or refused with alternatives', async () => {
    const { code, stdout, stderr } = await runCli(['--dry-run', '-e', 'fentry:tcp_v4_rcv { @[args.skb->len] = count() }']);
    if (trampolines) {
      expect(stderr).toBe('');
      expect(stdout).toBe('-e: ok: 1 program(s) verified, nothing attached\n');
      return;
    }
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:1: error\[NT0206\]: this kernel refuses fentry programs/);
    expect(stderr).toMatch(/hint: probes near tcp_v4_rcv that this kernel can attach: .*tracepoint:tcp:tcp_rcv_space_adjust/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('kfunc: and kretfunc: are fentry and fexit; retval is the return value on fexit', async () => {
    const { code, stderr } = await runCli(['--dry-run', '-e', 'kretfunc:tcp_v4_rcv { @[retval] = count() }']);
    if (trampolines) expect(code).toBe(0);
    else expect(stderr).toContain('error[NT0206]: this kernel refuses fexit programs');
  });

  it('retval on fentry is a type error, found before anything is loaded', async () => {
    const { code, stderr } = await runCli(['-e', 'kfunc:tcp_v4_rcv { @[retval] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0306]: 'retval' cannot be read in fentry:tcp_v4_rcv");
  });

  it('an unknown function: did you mean', async () => {
    const { code, stderr } = await runCli(['-e', 'fentry:tcp_v4_rvc { @ = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0205]: the kernel has no function 'tcp_v4_rvc' in its BTF");
    expect(stderr).toContain("hint: did you mean 'fentry:tcp_v4_rcv'?");
  });
});

describe(`kprobe / kretprobe (this kernel ${kprobes ? 'has' : 'has no'} kprobes)`, () => {
  it('a body error is reported whether or not the kernel has kprobes', async () => {
    const { code, stderr } = await runCli(['-e', 'kprobe:tcp_v4_rcv { @[args.skb->lenn] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0302]: struct sk_buff has no field 'lenn'");
    if (kprobes) expect(stderr).not.toContain('NT0206');
    else expect(stderr).toContain('error[NT0206]: this kernel has no kprobes, so it cannot attach kprobe:tcp_v4_rcv');
  });

  it('a kprobe with typed and raw arguments verifies, or is refused with alternatives', async () => {
    const { code, stdout, stderr } = await runCli(['--dry-run', '-e', 'kprobe:tcp_v4_rcv { @[args.skb->len, arg0] = count() }']);
    if (kprobes) {
      expect(stdout).toBe('-e: ok: 1 program(s) verified, nothing attached\n');
      return;
    }
    expect(code).toBe(1);
    expect(stderr).toMatch(/hint: probes near tcp_v4_rcv that this kernel can attach: /);
  });

  it('kretprobe too', async () => {
    const { code, stdout, stderr } = await runCli(['--dry-run', '-e', 'kretprobe:tcp_sendmsg { @[retval] = count() }']);
    if (kprobes) {
      expect(stdout).toBe('-e: ok: 1 program(s) verified, nothing attached\n');
      return;
    }
    expect(code).toBe(1);
    expect(stderr).toContain('error[NT0206]: this kernel has no kprobes, so it cannot attach kretprobe:tcp_sendmsg');
    expect(stderr).toContain('tracepoint:tcp:tcp_sendmsg_locked');
  });
});
