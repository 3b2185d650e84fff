// capture(): copy the packet into the capture ring buffer (src/model/capture.ts has the
// record). The ring wants a constant size per reservation, so a packet of at most
// CAPTURE_SMALL_BYTES takes a small record and a longer one a record of snaplen bytes;
// the copy's length is proven to the verifier to lie in 1..record size. A record the ring
// refuses is counted per call site (internal map `captureLost`), so the file's statistics
// and stderr say how many packets are missing.
//
// The bytes come from bpf_xdp_load_bytes at xdp (5.18; the checker refuses capture() at
// xdp on older kernels), bpf_skb_load_bytes at tc (paged bytes too, and the VLAN tag the
// kernel moved into the metadata put back in front), and from an
// sk_buff pointer with bpf_probe_read_kernel: the linear part, from the MAC header (or
// the network header when the packet has no MAC header yet) to skb->tail.
import { CAPTURE_HEADER_SIZE, CAPTURE_SMALL_BYTES, CaptureField, CaptureFlag, type CaptureCall, type CaptureSkbLayout } from '../model/capture.js';
import { BPF_FUNC } from '../model/uapi.js';
import { addToCounter, withArraySlot } from './array-slot.js';
import { opaque } from './bounded.js';
import type { FunctionContext } from './function-context.js';
import type { LLVM } from './llvm.js';
import { readKernelInt, readSkbLinearFrame } from './skb-linear-frame.js';

const RINGBUF_RESERVE = 131;
const RINGBUF_SUBMIT = 132;
const RINGBUF_DISCARD = 133;
const XDP_LOAD_BYTES = 189;

/** struct xdp_md: ingress_ifindex. struct __sk_buff: len, ifindex. */
const XDP_MD_INGRESS_IFINDEX = 12;
const SKB_LEN = 0;
const SKB_VLAN_PRESENT = 20;
const SKB_VLAN_TCI = 24;
/** Network order. */
const SKB_VLAN_PROTO = 28;
const SKB_IFINDEX = 40;
const ETH_ADDRESSES = 12;
const VLAN_TAG_BYTES = 4;

/** What one capture() has found before it copies: lengths, where from, what to say. */
interface Source {
  /** Bytes that can be copied (i64). */
  available: LLVM.Value;
  origLen: LLVM.Value;
  ifindex: LLVM.Value;
  flags: LLVM.Value;
  netns?: LLVM.Value;
  /** Copies n bytes (1..size, the record's) to dst; returns the helper's result (0 on success). */
  copy(dst: LLVM.Value, n: LLVM.Value, size: number): LLVM.Value;
}

export function emitCapture(f: FunctionContext, checked: CaptureCall, skb: LLVM.Value | undefined, reason: LLVM.Value | undefined): void {
  const { m } = f;
  const { b } = m;
  const probe = f.probe!;
  const attach = probe.attach;
  const direction = attach.kind === 'xdp' ? 'in' : attach.kind === 'tc' ? (attach.direction === 'ingress' ? 'in' : 'out') : undefined;
  const site = f.outputs.addCapture({
    probe: probe.text,
    fromSkb: skb !== undefined,
    ...(skb === undefined && direction && { direction }),
    ...(reason && checked.reasonNames && { reasonNames: checked.reasonNames }),
  });
  const snaplen = f.outputs.snaplen;
  const done = f.newBlock('capture_done');
  const source = skb !== undefined ? skbSource(f, skb, checked.skbLayout!, done) : hookSource(f);
  let flags = source.flags;
  if (reason) flags = b.CreateOr(flags, m.i64Const(CaptureFlag.reason));
  if (source.netns) flags = b.CreateOr(flags, b.CreateSelect(b.CreateICmpNE(source.netns, m.i64Const(0)), m.i64Const(CaptureFlag.netns), m.i64Const(0)));
  const caplen = b.CreateSelect(b.CreateICmpUGT(source.available, m.i64Const(snaplen)), m.i64Const(snaplen), source.available);

  const write = (size: number) => {
    // n - 1 hidden from LLVM, so it cannot fold the bound and the +1 away: the verifier
    // then knows 1 <= n <= size for the helper's length (0 would be refused).
    const less = opaque(f, b.CreateSub(caplen, m.i64Const(1)));
    const fits = f.newBlock('capture_fits');
    b.CreateCondBr(b.CreateICmpUGT(less, m.i64Const(size - 1)), done, fits);
    b.SetInsertPoint(fits);
    const n = b.CreateAdd(less, m.i64Const(1));
    const ring = m.mapRef(f.outputs.map('capture').index);
    const record = m.callHelper(RINGBUF_RESERVE, m.i8p, [m.i8p, m.i64, m.i64], [ring, m.i64Const(CAPTURE_HEADER_SIZE + size), m.i64Const(0)]);
    const refused = f.newBlock('capture_refused');
    const reserved = f.newBlock('capture_reserved');
    b.CreateCondBr(b.CreateIsNull(record), refused, reserved);
    b.SetInsertPoint(refused);
    withArraySlot(f, f.outputs.map('captureLost').index, site.id, 'capture_lost', (slot) => addToCounter(f, slot, m.i64Const(1)));
    b.CreateBr(done);
    b.SetInsertPoint(reserved);
    const store32 = (at: number, v: LLVM.Value) => f.storeInt(record, at, 32, b.CreateTrunc(v, m.i32));
    store32(CaptureField.site, m.i64Const(site.id));
    store32(CaptureField.flags, flags);
    f.storeInt(record, CaptureField.time, 64, m.callHelper(BPF_FUNC.ktime_get_ns, m.i64, [], []));
    store32(CaptureField.ifindex, source.ifindex);
    store32(CaptureField.origLen, source.origLen);
    store32(CaptureField.capLen, n);
    store32(CaptureField.reason, reason ?? m.i64Const(0));
    store32(CaptureField.netns, source.netns ?? m.i64Const(0));
    store32(36, m.i64Const(0));
    const copied = source.copy(f.byteOffset(record, CAPTURE_HEADER_SIZE), n, size);
    const ok = f.newBlock('capture_copied');
    const failed = f.newBlock('capture_copy_failed');
    b.CreateCondBr(b.CreateICmpEQ(copied, m.i64Const(0)), ok, failed);
    b.SetInsertPoint(ok);
    m.callHelper(RINGBUF_SUBMIT, m.b.getVoidTy(), [m.i8p, m.i64], [record, m.i64Const(0)]);
    b.CreateBr(done);
    b.SetInsertPoint(failed);
    m.callHelper(RINGBUF_DISCARD, m.b.getVoidTy(), [m.i8p, m.i64], [record, m.i64Const(0)]);
    b.CreateBr(done);
  };

  if (snaplen <= CAPTURE_SMALL_BYTES) {
    write(snaplen);
  } else {
    const small = f.newBlock('capture_small');
    const big = f.newBlock('capture_big');
    b.CreateCondBr(b.CreateICmpULE(caplen, m.i64Const(CAPTURE_SMALL_BYTES)), small, big);
    b.SetInsertPoint(small);
    write(CAPTURE_SMALL_BYTES);
    b.SetInsertPoint(big);
    write(snaplen);
  }
  b.SetInsertPoint(done);
}

/** The frame of an xdp or tc probe. */
function hookSource(f: FunctionContext): Source {
  const { m } = f;
  const { b } = m;
  const ctx = f.ctxArg;
  const zext = (v: LLVM.Value) => b.CreateZExt(v, m.i64);
  if (f.probeContext === 'xdp') {
    const packet = f.packet!;
    const length = b.CreateSub(b.CreatePtrToInt(packet.dataEnd, m.i64), b.CreatePtrToInt(packet.data, m.i64));
    return {
      available: length,
      origLen: length,
      ifindex: zext(f.loadInt(ctx, XDP_MD_INGRESS_IFINDEX, 32)),
      flags: m.i64Const(0),
      copy: (dst, n) => m.callHelper(XDP_LOAD_BYTES, m.i64, [m.i8p, m.i32, m.i8p, m.i32], [ctx, m.intConst(m.i32, 0), dst, b.CreateTrunc(n, m.i32)]),
    };
  }
  // The kernel took the outer VLAN tag out of the data into the metadata before tc: it
  // goes back in front of the copy, as tcpdump's capture (AF_PACKET) shows it.
  const length = zext(f.loadInt(ctx, SKB_LEN, 32));
  const tagged = b.CreateICmpNE(f.loadInt(ctx, SKB_VLAN_PRESENT, 32), m.intConst(m.i32, 0));
  const tpid = b.CreateTrunc(f.loadInt(ctx, SKB_VLAN_PROTO, 32), m.intType(16));
  const tci = m.bswap(b.CreateTrunc(f.loadInt(ctx, SKB_VLAN_TCI, 32), m.intType(16)), 16);
  const withTag = b.CreateAdd(length, b.CreateSelect(tagged, m.i64Const(VLAN_TAG_BYTES), m.i64Const(0)));
  const load = (offset: number, dst: LLVM.Value, n: LLVM.Value) =>
    m.callHelper(BPF_FUNC.skb_load_bytes, m.i64, [m.i8p, m.i32, m.i8p, m.i32], [ctx, m.intConst(m.i32, offset), dst, b.CreateTrunc(n, m.i32)]);
  return {
    available: withTag,
    origLen: withTag,
    ifindex: zext(f.loadInt(ctx, SKB_IFINDEX, 32)),
    flags: m.i64Const(0),
    copy(dst, n, size) {
      // Tagged, and room for the addresses, the tag and at least one byte more:
      // 12 bytes, the tag, then the rest from byte 12 of the data.
      const result = f.alloca(m.i64, 'capture_copy_result', true);
      const split = f.newBlock('capture_tag');
      const plain = f.newBlock('capture_untagged');
      const done = f.newBlock('capture_copy_done');
      const rest = opaque(f, b.CreateSub(n, m.i64Const(ETH_ADDRESSES + VLAN_TAG_BYTES + 1)));
      b.CreateCondBr(b.CreateAnd(tagged, b.CreateICmpULE(rest, m.i64Const(size - ETH_ADDRESSES - VLAN_TAG_BYTES - 1))), split, plain);
      b.SetInsertPoint(split);
      const head = load(0, dst, m.i64Const(ETH_ADDRESSES));
      f.storeInt(dst, ETH_ADDRESSES, 16, tpid);
      f.storeInt(dst, ETH_ADDRESSES + 2, 16, tci);
      const tail = load(ETH_ADDRESSES, f.byteOffset(dst, ETH_ADDRESSES + VLAN_TAG_BYTES), b.CreateAdd(rest, m.i64Const(1)));
      b.CreateStore(b.CreateOr(head, tail), result);
      b.CreateBr(done);
      b.SetInsertPoint(plain);
      b.CreateStore(load(0, dst, n), result);
      b.CreateBr(done);
      b.SetInsertPoint(done);
      return b.CreateLoad(m.i64, result);
    },
  };
}

/** The linear part of an sk_buff, read through its pointer. A NULL or odd sk_buff goes to `skip`. */
function skbSource(f: FunctionContext, skb: LLVM.Value, layout: CaptureSkbLayout, skip: LLVM.BasicBlock): Source {
  const { m } = f;
  const { b } = m;
  const read = (base: LLVM.Value, offset: number, size: 2 | 4 | 8) => readKernelInt(f, b.CreateAdd(base, m.i64Const(offset)), size);
  const frame = readSkbLinearFrame(f, skb, layout);
  const { start, end } = frame;
  const dev = read(skb, layout.dev, 8);
  const sane = f.newBlock('capture_skb_ok');
  b.CreateCondBr(frame.sane, sane, skip);
  b.SetInsertPoint(sane);
  const hasDev = b.CreateICmpNE(dev, m.i64Const(0));
  const onDevice = (v: () => LLVM.Value) => {
    // Read only through a device pointer that is there (probe_read of 0 would just read 0, but costs a call).
    const slot = f.alloca(m.i64, 'capture_dev_field', true);
    const yes = f.newBlock('capture_dev');
    const after = f.newBlock('capture_dev_done');
    b.CreateStore(m.i64Const(0), slot);
    b.CreateCondBr(hasDev, yes, after);
    b.SetInsertPoint(yes);
    b.CreateStore(v(), slot);
    b.CreateBr(after);
    b.SetInsertPoint(after);
    return b.CreateLoad(m.i64, slot);
  };
  const ifindex = onDevice(() => read(dev, layout.ifindex, 4));
  const netns = layout.net !== undefined && layout.inum !== undefined
    ? onDevice(() => {
        const net = read(dev, layout.net!, 8);
        return b.CreateSelect(b.CreateICmpNE(net, m.i64Const(0)), read(net, layout.inum!, 4), m.i64Const(0));
      })
    : undefined;
  const from = b.CreateIntToPtr(start, m.i8p);
  return {
    available: b.CreateSub(end, start),
    origLen: frame.wireLength,
    ifindex,
    flags: b.CreateSelect(frame.hasMac, m.i64Const(0), m.i64Const(CaptureFlag.rawIp)),
    ...(netns && { netns }),
    copy: (dst, n) => m.callHelper(BPF_FUNC.probe_read_kernel, m.i64, [m.i8p, m.i32, m.i8p], [dst, b.CreateTrunc(n, m.i32), from]),
  };
}

