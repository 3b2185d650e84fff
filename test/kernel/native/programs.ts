// Hand-written LLVM 14 IR (typed pointers) for the native addon's kernel tests. Each
// program is small and filters precisely, so the tests can assert exact counts even on
// a link where ARP or other traffic also flows.

/** Byte offsets of the packet pointers in the program context. */
export const XDP_CTX = { data: 0, dataEnd: 4 } as const; // struct xdp_md
export const SKB_CTX = { data: 76, dataEnd: 80 } as const; // struct __sk_buff

/** x86_64 syscall number of kill(2), what `process.kill(pid, 0)` issues. */
export const SYS_KILL = 62;

export const EVENT_MAGIC = 0xfeedbeef;

const PRELUDE = `
declare i64 @llvm.bpf.pseudo(i64, i64)
`;

/**
 * The shared packet test: IPv4 without options, UDP, destination port `port`, and the
 * whole 42-byte header range checked against data_end before any read (the verifier
 * insists). `action` runs on a match; every packet gets `ret` as the verdict.
 */
function udpPortProgram(
  fn: string,
  ctx: { data: number; dataEnd: number },
  port: number,
  ret: number,
  action: string,
): string {
  // The port as the little-endian i16 load of its big-endian bytes sees it.
  const portLe = ((port & 0xff) << 8) | (port >> 8);
  return `${PRELUDE}
define i32 @${fn}(i8* %ctx) {
entry:
  %key = alloca i32, align 4
  %one = alloca i64, align 8
  %event = alloca { i32, i16, i16 }, align 8
  %data.p = getelementptr i8, i8* %ctx, i64 ${ctx.data}
  %data.p32 = bitcast i8* %data.p to i32*
  %data.32 = load i32, i32* %data.p32, align 4
  %end.p = getelementptr i8, i8* %ctx, i64 ${ctx.dataEnd}
  %end.p32 = bitcast i8* %end.p to i32*
  %end.32 = load i32, i32* %end.p32, align 4
  %data.64 = zext i32 %data.32 to i64
  %end.64 = zext i32 %end.32 to i64
  %data = inttoptr i64 %data.64 to i8*
  %end = inttoptr i64 %end.64 to i8*
  %hdr.end = getelementptr i8, i8* %data, i64 42
  %fits = icmp ule i8* %hdr.end, %end
  br i1 %fits, label %eth, label %out

eth:
  %ethertype.p = getelementptr i8, i8* %data, i64 12
  %ethertype.p16 = bitcast i8* %ethertype.p to i16*
  %ethertype = load i16, i16* %ethertype.p16, align 1
  %is.ipv4 = icmp eq i16 %ethertype, 8
  br i1 %is.ipv4, label %ip, label %out

ip:
  %vihl.p = getelementptr i8, i8* %data, i64 14
  %vihl = load i8, i8* %vihl.p, align 1
  %plain = icmp eq i8 %vihl, 69
  %proto.p = getelementptr i8, i8* %data, i64 23
  %proto = load i8, i8* %proto.p, align 1
  %is.udp = icmp eq i8 %proto, 17
  %udp.ok = and i1 %plain, %is.udp
  br i1 %udp.ok, label %udp, label %out

udp:
  %dport.p = getelementptr i8, i8* %data, i64 36
  %dport.p16 = bitcast i8* %dport.p to i16*
  %dport = load i16, i16* %dport.p16, align 1
  %ulen.p = getelementptr i8, i8* %data, i64 38
  %ulen.p16 = bitcast i8* %ulen.p to i16*
  %ulen = load i16, i16* %ulen.p16, align 1
  %is.port = icmp eq i16 %dport, ${portLe}
  br i1 %is.port, label %match, label %out

match:
${action}
  br label %out

out:
  ret i32 ${ret}
}
`;
}

/** Counts into map 0 (a per-CPU hash, u32 key 0 -> u64). */
const COUNT_ACTION = `
  store i32 0, i32* %key, align 4
  %map = call i64 @llvm.bpf.pseudo(i64 1, i64 0)
  %map.p = inttoptr i64 %map to i8*
  %key.p = bitcast i32* %key to i8*
  %value = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* %map.p, i8* %key.p)
  %missing = icmp eq i8* %value, null
  br i1 %missing, label %first, label %increment

increment:
  %count.p = bitcast i8* %value to i64*
  %count = load i64, i64* %count.p, align 8
  %count.1 = add i64 %count, 1
  store i64 %count.1, i64* %count.p, align 8
  br label %out

first:
  store i64 1, i64* %one, align 8
  %one.p = bitcast i64* %one to i8*
  %updated = call i64 inttoptr (i64 2 to i64 (i8*, i8*, i8*, i64)*)(i8* %map.p, i8* %key.p, i8* %one.p, i64 0)`;

/**
 * Writes { EVENT_MAGIC, udp length (big-endian), dport (big-endian) } to ring buffer map 0,
 * with bpf_ringbuf_output's `flags` (BPF_RB_NO_WAKEUP = 1: the reader is not woken).
 */
const ringbufAction = (flags: number) => `
  %ev.magic = getelementptr { i32, i16, i16 }, { i32, i16, i16 }* %event, i32 0, i32 0
  store i32 ${EVENT_MAGIC | 0}, i32* %ev.magic, align 8
  %ev.len = getelementptr { i32, i16, i16 }, { i32, i16, i16 }* %event, i32 0, i32 1
  store i16 %ulen, i16* %ev.len, align 4
  %ev.port = getelementptr { i32, i16, i16 }, { i32, i16, i16 }* %event, i32 0, i32 2
  store i16 %dport, i16* %ev.port, align 2
  %rb = call i64 @llvm.bpf.pseudo(i64 1, i64 0)
  %rb.p = inttoptr i64 %rb to i8*
  %ev.p = bitcast { i32, i16, i16 }* %event to i8*
  %written = call i64 inttoptr (i64 130 to i64 (i8*, i8*, i64, i64)*)(i8* %rb.p, i8* %ev.p, i64 8, i64 ${flags})`;

/** XDP: counts UDP packets to `port` into a per-CPU hash (map 0), passes everything. */
export function xdpCountIR(fn: string, port: number): string {
  return udpPortProgram(fn, XDP_CTX, port, 2 /* XDP_PASS */, COUNT_ACTION);
}

/** tc (tcx): the same count on an skb; returns TCX_NEXT (-1) to leave the verdict to others. */
export function tcCountIR(fn: string, port: number): string {
  return udpPortProgram(fn, SKB_CTX, port, -1, COUNT_ACTION);
}

/** XDP: one ring-buffer event per UDP packet to `port` (map 0 is the ring buffer). */
export function xdpEventIR(fn: string, port: number, ringbufFlags = 0): string {
  return udpPortProgram(fn, XDP_CTX, port, 2, ringbufAction(ringbufFlags));
}

/** Adds 1 to slot 0 of array map 0, atomically (the program may run on every CPU). */
const ARRAY_INCREMENT = `
  store i32 0, i32* %key, align 4
  %map = call i64 @llvm.bpf.pseudo(i64 1, i64 0)
  %map.p = inttoptr i64 %map to i8*
  %key.p = bitcast i32* %key to i8*
  %value = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* %map.p, i8* %key.p)
  %missing = icmp eq i8* %value, null
  br i1 %missing, label %out, label %increment

increment:
  %count.p = bitcast i8* %value to i64*
  %old = atomicrmw add i64* %count.p, i64 1 seq_cst
  br label %out`;

/** The thread group (process) id of the current task, from bpf_get_current_pid_tgid. */
const CURRENT_TGID = `
  %pid.tgid = call i64 inttoptr (i64 14 to i64 ()*)()
  %tgid.64 = lshr i64 %pid.tgid, 32
  %tgid = trunc i64 %tgid.64 to i32`;

/** Classic tracepoint (syscalls:sys_enter_*): counts hits from process `pid`. */
export function tracepointCountIR(fn: string, pid: number): string {
  return `${PRELUDE}
define i32 @${fn}(i8* %ctx) {
entry:
  %key = alloca i32, align 4
${CURRENT_TGID}
  %mine = icmp eq i32 %tgid, ${pid}
  br i1 %mine, label %count, label %out

count:
${ARRAY_INCREMENT}

out:
  ret i32 0
}
`;
}

/**
 * sys_enter as a raw tracepoint or tp_btf: ctx is the u64 argument array, and ctx[1]
 * the syscall number. Counts syscall `nr` from process `pid`.
 */
export function sysEnterCountIR(fn: string, pid: number, nr: number): string {
  return `${PRELUDE}
define i32 @${fn}(i8* %ctx) {
entry:
  %key = alloca i32, align 4
${CURRENT_TGID}
  %mine = icmp eq i32 %tgid, ${pid}
  br i1 %mine, label %check, label %out

check:
  %args = bitcast i8* %ctx to i64*
  %nr.p = getelementptr i64, i64* %args, i64 1
  %nr = load i64, i64* %nr.p, align 8
  %is.nr = icmp eq i64 %nr, ${nr}
  br i1 %is.nr, label %count, label %out

count:
${ARRAY_INCREMENT}

out:
  ret i32 0
}
`;
}

/** Counts every run into array map 0 (perf-event timers). */
export function everyRunCountIR(fn: string): string {
  return `${PRELUDE}
define i32 @${fn}(i8* %ctx) {
entry:
  %key = alloca i32, align 4
  br label %count

count:
${ARRAY_INCREMENT}

out:
  ret i32 0
}
`;
}

/** The smallest tracing (fentry/fexit) program. */
export function emptyTracingIR(fn: string): string {
  return `
define i32 @${fn}(i8* %ctx) {
  ret i32 0
}
`;
}
