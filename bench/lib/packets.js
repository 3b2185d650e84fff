// Test packets for BPF_PROG_TEST_RUN: Ethernet + IPv4 + UDP, checksums left at zero
// (nothing on the measured path looks at them).

function ipv4Bytes(text) {
  return text.split('.').map(Number);
}

export function udpPacket({ src = '10.0.0.1', dst = '10.0.0.2', sport = 40000, dport = 9, payloadBytes = 22 } = {}) {
  const ipLen = 20 + 8 + payloadBytes;
  const p = Buffer.alloc(14 + ipLen);
  Buffer.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]).copy(p, 0); // dst, src MAC
  p.writeUInt16BE(0x0800, 12);
  p[14] = 0x45;
  p.writeUInt16BE(ipLen, 16);
  p[22] = 64; // ttl
  p[23] = 17; // udp
  Buffer.from(ipv4Bytes(src)).copy(p, 26);
  Buffer.from(ipv4Bytes(dst)).copy(p, 30);
  p.writeUInt16BE(sport, 34);
  p.writeUInt16BE(dport, 36);
  p.writeUInt16BE(8 + payloadBytes, 38);
  return p;
}
