// The native addon against the real kernel: load programs with their maps bound, attach
// them through links (XDP, tcx, tracepoints, raw tracepoints, tp_btf, perf timers), count
// exactly what was sent, and check that closing a link, or killing the process, detaches.
// Traffic flows only over the test's own veth pair: one end in the root namespace (where
// programs attach), the peer in the test's namespace (where the sender runs).
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as native from '../../../src/native/bpf.js';
import { emitObject } from '../../../src/native/emitter.js';
import { BPF_ATTACH_TYPE, BPF_MAP_TYPE, BPF_PROG_TYPE } from '../../../src/model/uapi.js';
import { NativeError, type NativeErrorCode } from '../../../src/native/errors.js';
import { createTestLink, sendUdpFromNamespace, xdpAttached, type TestLink } from '../../helpers/netns.js';
import {
  SYS_KILL,
  emptyTracingIR,
  everyRunCountIR,
  sysEnterCountIR,
  tcCountIR,
  tracepointCountIR,
  xdpCountIR,
} from './programs.js';
import { arraySlot0, fdTracker, perCpuCounter, requireRootOrFail, settle, sleep } from './support.js';

const PORT = 9999;
const fds = fdTracker();
let link: TestLink;
let ifindex: number;

beforeAll(() => {
  requireRootOrFail();
  link = createTestLink();
  ifindex = native.ifNameToIndex(link.rootIf);
});

afterAll(() => {
  link?.destroy();
});

function countingMap(): number {
  return fds.track(
    native.createMap({ type: BPF_MAP_TYPE.PERCPU_HASH, keySize: 4, valueSize: 8, maxEntries: 16, name: 'test_counts' }),
  );
}

function arrayCounter(): number {
  return fds.track(native.createMap({ type: BPF_MAP_TYPE.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, name: 'test_slot' }));
}

function load(ir: string, fn: string, section: string, progType: number, mapFds: number[], extra: Partial<native.LoadSpec> = {}) {
  const obj = emitObject(ir, { [fn]: section });
  const loaded = native.loadProgram({ obj, section, progType, mapFds, ...extra });
  fds.track(loaded.fd);
  return loaded;
}

function expectNativeError(fn: () => unknown, code: NativeErrorCode): NativeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NativeError);
    expect((e as NativeError).code).toBe(code);
    return e as NativeError;
  }
  throw new Error(`expected a NativeError ${code}`);
}

/** Sends from the root namespace (through rootIf's egress) to the namespace's address. */
async function sendUdpFromRoot(dest: string, port: number, count: number): Promise<void> {
  const socket = createSocket('udp4');
  const payload = Buffer.alloc(16, 120);
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => socket.send(payload, port, dest, (err) => (err ? reject(err) : resolve())));
  }
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

describe('XDP', () => {
  it('counts exactly the UDP packets sent to the port, through a bound per-CPU map', async () => {
    const map = countingMap();
    const prog = load(xdpCountIR('xdp_count', PORT), 'xdp_count', 'xdp', BPF_PROG_TYPE.XDP, [map]);
    expect(prog.insnCount).toBeGreaterThan(10);
    expect(prog.log).toBe('');

    const attached = native.attachXdp(prog.fd, ifindex, 'auto');
    fds.track(attached.linkFd);
    expect(attached.mode).toBe('native'); // veth has a native XDP hook
    expect(xdpAttached(link.rootIf)).toBe(true);

    sendUdpFromNamespace(link, link.rootAddr, PORT, 25);
    sendUdpFromNamespace(link, link.rootAddr, PORT + 1, 7); // another port: not counted
    expect(await settle(() => perCpuCounter(map), 25n)).toBe(25n);
    await sleep(100);
    expect(perCpuCounter(map)).toBe(25n);

    fds.release(attached.linkFd);
    expect(xdpAttached(link.rootIf)).toBe(false);
    sendUdpFromNamespace(link, link.rootAddr, PORT, 5);
    await sleep(100);
    expect(perCpuCounter(map)).toBe(25n);
  });

  it("attaches in generic mode when asked, and says so", () => {
    const map = countingMap();
    const prog = load(xdpCountIR('xdp_generic', PORT), 'xdp_generic', 'xdp', BPF_PROG_TYPE.XDP, [map]);
    const attached = native.attachXdp(prog.fd, ifindex, 'generic');
    fds.track(attached.linkFd);
    expect(attached.mode).toBe('generic');
    expect(xdpAttached(link.rootIf)).toBe(true);
    fds.release(attached.linkFd);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });

  it('refuses an interface that does not exist', () => {
    const map = countingMap();
    const prog = load(xdpCountIR('xdp_nodev', PORT), 'xdp_nodev', 'xdp', BPF_PROG_TYPE.XDP, [map]);
    expectNativeError(() => native.attachXdp(prog.fd, 0x7ffffff0, 'auto'), 'NO_SUCH_INTERFACE');
  });

  it('runs under BPF_PROG_TEST_RUN, and the map sees every run', () => {
    const map = countingMap();
    const prog = load(xdpCountIR('xdp_testrun', PORT), 'xdp_testrun', 'xdp', BPF_PROG_TYPE.XDP, [map]);
    const packet = Buffer.alloc(58);
    packet.writeUInt16BE(0x0800, 12); // IPv4
    packet.writeUInt8(0x45, 14); // version 4, 20-byte header
    packet.writeUInt8(17, 23); // UDP
    packet.writeUInt16BE(PORT, 36);
    const run = native.progTestRun(prog.fd, packet, 100);
    expect(run.retval).toBe(2); // XDP_PASS
    expect(run.dataOut).toEqual(packet);
    expect(perCpuCounter(map)).toBe(100n);
    const info = native.progInfo(prog.fd);
    expect(info.id).toBeGreaterThan(0);
    expect(info.xlatedLen).toBeGreaterThan(0);
    expect(typeof info.runCnt).toBe('bigint');
  });

  it('nothing stays attached when the process that attached is killed with SIGKILL', async () => {
    const release = (file: string) => fileURLToPath(new URL(`../../../native/build/Release/${file}`, import.meta.url));
    const script = `
      const n = require(process.env.BPF_ADDON);
      const obj = require(process.env.EMIT_ADDON).emitObject(process.env.IR, { xdp_child: 'xdp' });
      const map = n.createMap({ type: 5, keySize: 4, valueSize: 8, maxEntries: 16, name: 'child' });
      const prog = n.loadProgram({ obj, section: 'xdp', progType: 6, mapFds: [map] });
      n.attachXdp(prog.fd, Number(process.env.IFINDEX), 'auto');
      console.log('attached');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, BPF_ADDON: release('nettrace_bpf.node'), EMIT_ADDON: release('nettrace_emit.node'), IR: xdpCountIR('xdp_child', PORT), IFINDEX: String(ifindex) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('attached') && resolve());
      child.on('exit', () => reject(new Error('the child exited before attaching')));
    });
    expect(xdpAttached(link.rootIf)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    for (let i = 0; i < 50 && xdpAttached(link.rootIf); i++) await sleep(20);
    expect(xdpAttached(link.rootIf)).toBe(false);
  });
});

describe('tcx', () => {
  it('counts ingress packets exactly, and stops when the link closes', async () => {
    const map = countingMap();
    const prog = load(tcCountIR('tc_in', PORT), 'tc_in', 'tc', BPF_PROG_TYPE.SCHED_CLS, [map]);
    const linkFd = fds.track(native.attachTcx(prog.fd, ifindex, 'ingress'));
    sendUdpFromNamespace(link, link.rootAddr, PORT, 19);
    expect(await settle(() => perCpuCounter(map), 19n)).toBe(19n);
    fds.release(linkFd);
    sendUdpFromNamespace(link, link.rootAddr, PORT, 4);
    await sleep(100);
    expect(perCpuCounter(map)).toBe(19n);
  });

  it('counts egress packets exactly', async () => {
    const map = countingMap();
    const prog = load(tcCountIR('tc_out', PORT), 'tc_out', 'tc', BPF_PROG_TYPE.SCHED_CLS, [map]);
    fds.track(native.attachTcx(prog.fd, ifindex, 'egress'));
    await sendUdpFromRoot(link.nsAddr, PORT, 13);
    expect(await settle(() => perCpuCounter(map), 13n)).toBe(13n);
  });
});

describe('tracepoints', () => {
  /** kill(pid, 0) from this process, `n` times: a syscall nothing else here makes. */
  function killZero(n: number): void {
    for (let i = 0; i < n; i++) process.kill(process.pid, 0);
  }

  it('classic tracepoint syscalls:sys_enter_kill through a perf-event link', () => {
    const counter = arrayCounter();
    const prog = load(
      tracepointCountIR('tp_kill', process.pid),
      'tp_kill',
      'tracepoint/syscalls/sys_enter_kill',
      BPF_PROG_TYPE.TRACEPOINT,
      [counter],
    );
    const linkFd = fds.track(native.attachTracepoint(prog.fd, 'syscalls', 'sys_enter_kill'));
    killZero(30);
    expect(arraySlot0(counter)).toBe(30n);
    fds.release(linkFd);
    killZero(5);
    expect(arraySlot0(counter)).toBe(30n);
  });

  it('an unknown tracepoint is NO_SUCH_TRACEPOINT', () => {
    const counter = arrayCounter();
    const prog = load(tracepointCountIR('tp_none', process.pid), 'tp_none', 'tracepoint/x/y', BPF_PROG_TYPE.TRACEPOINT, [
      counter,
    ]);
    expectNativeError(() => native.attachTracepoint(prog.fd, 'syscalls', 'sys_enter_no_such_call'), 'NO_SUCH_TRACEPOINT');
    expectNativeError(() => native.attachTracepoint(prog.fd, '..', 'id'), 'NO_SUCH_TRACEPOINT');
  });

  it('tp_btf sys_enter: target resolved from BTF at load, attached with a null name', () => {
    const counter = arrayCounter();
    const prog = load(sysEnterCountIR('btf_enter', process.pid, SYS_KILL), 'btf_enter', 'tp_btf/sys_enter', BPF_PROG_TYPE.TRACING, [counter], {
      expectedAttachType: BPF_ATTACH_TYPE.TRACE_RAW_TP,
      attachBtfName: 'sys_enter',
    });
    const linkFd = fds.track(native.attachRawTracepoint(prog.fd, null));
    killZero(21);
    expect(arraySlot0(counter)).toBe(21n);
    fds.release(linkFd);
    killZero(3);
    expect(arraySlot0(counter)).toBe(21n);
  });

  it('an unknown tp_btf target fails at load with NO_SUCH_TRACEPOINT', () => {
    const counter = arrayCounter();
    const obj = emitObject(sysEnterCountIR('btf_none', process.pid, SYS_KILL), { btf_none: 'tp_btf/none' });
    expectNativeError(
      () =>
        native.loadProgram({
          obj,
          section: 'tp_btf/none',
          progType: BPF_PROG_TYPE.TRACING,
          expectedAttachType: BPF_ATTACH_TYPE.TRACE_RAW_TP,
          attachBtfName: 'no_such_tracepoint_here',
          mapFds: [counter],
        }),
      'NO_SUCH_TRACEPOINT',
    );
  });

  it('raw tracepoint sys_enter attached by name', () => {
    const counter = arrayCounter();
    const prog = load(sysEnterCountIR('raw_enter', process.pid, SYS_KILL), 'raw_enter', 'raw_tracepoint/sys_enter', BPF_PROG_TYPE.RAW_TRACEPOINT, [counter]);
    fds.track(native.attachRawTracepoint(prog.fd, 'sys_enter'));
    killZero(17);
    expect(arraySlot0(counter)).toBe(17n);
  });

  it('fentry is NOT_SUPPORTED on this kernel (trampolines are refused), with the errno', () => {
    const obj = emitObject(emptyTracingIR('fentry_rcv'), { fentry_rcv: 'fentry/tcp_v4_rcv' });
    let failure: NativeError | undefined;
    try {
      const prog = native.loadProgram({
        obj,
        section: 'fentry/tcp_v4_rcv',
        progType: BPF_PROG_TYPE.TRACING,
        expectedAttachType: BPF_ATTACH_TYPE.TRACE_FENTRY,
        attachBtfName: 'tcp_v4_rcv',
        mapFds: [],
      });
      fds.track(prog.fd);
      fds.track(native.attachTracing(prog.fd));
    } catch (e) {
      failure = e as NativeError;
    }
    expect(failure).toBeInstanceOf(NativeError);
    expect(failure!.code).toBe('NOT_SUPPORTED');
    expect(failure!.errno).toBeGreaterThan(0);
  });
});

describe('perf-event timer', () => {
  it('runs a PERF_EVENT program on a CPU-clock timer until the link closes', async () => {
    const counter = arrayCounter();
    const prog = load(everyRunCountIR('tick'), 'tick', 'perf_event', BPF_PROG_TYPE.PERF_EVENT, [counter]);
    const linkFd = fds.track(native.attachPerfEventTimer(prog.fd, 5_000_000, 0));
    // Every 5 ms on CPU 0: a few runs within two seconds (timers are not exact counts).
    for (let i = 0; i < 100 && arraySlot0(counter) < 3n; i++) await sleep(20);
    expect(arraySlot0(counter)).toBeGreaterThanOrEqual(3n);
    fds.release(linkFd);
    const after = arraySlot0(counter);
    await sleep(100);
    expect(arraySlot0(counter)).toBe(after);
  });
});

describe('load failures', () => {
  it('a verifier rejection is VERIFIER with the log', () => {
    const map = countingMap();
    // Writes through the lookup result without checking it for null.
    const ir = `
declare i64 @llvm.bpf.pseudo(i64, i64)
define i32 @unchecked(i8* %ctx) {
  %key = alloca i32, align 4
  store i32 0, i32* %key
  %map = call i64 @llvm.bpf.pseudo(i64 1, i64 0)
  %map.p = inttoptr i64 %map to i8*
  %key.p = bitcast i32* %key to i8*
  %v = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* %map.p, i8* %key.p)
  %v.p = bitcast i8* %v to i64*
  store i64 1, i64* %v.p
  ret i32 2
}`;
    const obj = emitObject(ir, { unchecked: 'xdp' });
    const e = expectNativeError(
      () => native.loadProgram({ obj, section: 'xdp', progType: BPF_PROG_TYPE.XDP, mapFds: [map] }),
      'VERIFIER',
    );
    expect(e.log).toContain("invalid mem access 'map_value_or_null'");
    expect(e.message).toContain("invalid mem access 'map_value_or_null'");
    expect(e.errno).toBeGreaterThan(0);
  });

  it('returns the verifier log on success when asked', () => {
    const map = countingMap();
    const prog = load(xdpCountIR('xdp_logged', PORT), 'xdp_logged', 'xdp', BPF_PROG_TYPE.XDP, [map], { logLevel: 2 });
    expect(prog.log).toMatch(/processed \d+ insns/);
  });

  it('a map index without a map fd, and a section that does not exist', () => {
    const obj = emitObject(xdpCountIR('xdp_unbound', PORT), { xdp_unbound: 'xdp' });
    expect(
      expectNativeError(() => native.loadProgram({ obj, section: 'xdp', progType: BPF_PROG_TYPE.XDP, mapFds: [] }), 'OTHER')
        .message,
    ).toContain('map index 0');
    expect(
      expectNativeError(() => native.loadProgram({ obj, section: 'tc', progType: BPF_PROG_TYPE.XDP, mapFds: [] }), 'OTHER')
        .message,
    ).toContain("no program in section 'tc'");
  });
});

describe('interfaces', () => {
  it('lists and resolves interface names', () => {
    expect(native.listInterfaces()).toContain(link.rootIf);
    expect(native.listInterfaces()).toContain('lo');
    expect(native.ifNameToIndex(link.rootIf)).toBe(ifindex);
    expect(ifindex).toBeGreaterThan(0);
    expect(native.ifNameToIndex('ntn-missing0')).toBe(0);
  });
});
