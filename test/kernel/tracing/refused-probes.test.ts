// fentry/fexit and kprobes on this machine's kernel, which has no kprobes and refuses BPF
// trampolines (EPERM with an empty verifier log; see DESIGN.md). Both are type-checked
// from BTF first; the refusal is found on the running system, and the diagnostic names
// tracepoints near the function.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('fentry / fexit', () => {
  it('type-check, compile, then the kernel refuses the load: a diagnostic with alternatives', async () => {
    const { code, stderr } = await runCli(['-e', 'fentry:tcp_v4_rcv { @[args.skb->len] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^-e:1:1: error\[NT0206\]: this kernel refuses fentry programs/);
    expect(stderr).toMatch(/hint: probes near tcp_v4_rcv that this kernel can attach: .*tracepoint:tcp:tcp_rcv_space_adjust/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('kfunc: and kretfunc: are fentry and fexit; retval is the return value on fexit', async () => {
    const { code, stderr } = await runCli(['--dry-run', '-e', 'kretfunc:tcp_v4_rcv { @[retval] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain('error[NT0206]: this kernel refuses fexit programs');
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

describe('kprobe / kretprobe', () => {
  it('this kernel has no kprobe PMU: the premise of the next tests', () => {
    expect(existsSync('/sys/bus/event_source/devices/kprobe')).toBe(false);
  });

  it('refused at compile time, with the body checked too', async () => {
    const { code, stderr } = await runCli(['-e', 'kprobe:tcp_v4_rcv { @[args.skb->lenn] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain("error[NT0302]: struct sk_buff has no field 'lenn'");
    expect(stderr).toContain('error[NT0206]: this kernel has no kprobes, so it cannot attach kprobe:tcp_v4_rcv');
    expect(stderr).toMatch(/hint: probes near tcp_v4_rcv that this kernel can attach: /);
  });

  it('kretprobe too', async () => {
    const { code, stderr } = await runCli(['-e', 'kretprobe:tcp_sendmsg { @[retval] = count() }']);
    expect(code).toBe(1);
    expect(stderr).toContain('error[NT0206]: this kernel has no kprobes, so it cannot attach kretprobe:tcp_sendmsg');
    expect(stderr).toContain('tracepoint:tcp:tcp_sendmsg_locked');
  });
});
