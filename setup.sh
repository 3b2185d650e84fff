#!/usr/bin/env bash
# Sets up a fresh Debian (bookworm) machine for nettrace: system packages, npm
# dependencies (llvm-bindings builds from source against LLVM 14), the native addon and
# the TypeScript build. Safe to run again: each step is skipped when already done.
# Run as root (apt-get needs it, and nettrace itself needs CAP_BPF to run).
set -euo pipefail
cd "$(dirname "$0")"

# Build: LLVM 14 and libbpf headers for the addon and llvm-bindings; cmake for llvm-bindings.
# Run: iproute2 (ip, for tests and interface names), util-linux (setpriv, for tests),
# tmux (drives the REPL in a real terminal in its end-to-end test), iputils-ping (ICMP
# traffic for the packet-model tests).
# Kernel matrix (test/kernels): qemu-system-x86 boots Debian's kernels, busybox-static is
# the guest's initramfs, kmod (depmod, modprobe) indexes and loads their modules, xz-utils
# and zstd decompress them, bpftool lists what BPF objects runs leave in the kernel.
# --serve tests (test/kernel/serve): prometheus (the server and promtool; the tests start
# their own on a free loopback port), apache2-utils (htpasswd makes the bcrypt hash of the
# basic-auth test) and openssl (its self-signed certificate).
# pcap filters: libpcap-dev (pcap_compile, linked into native/'s nettrace_pcap.node);
# tcpdump and tshark, the reference the pcap and capture tests compare with (test/kernel/pcap, test/kernel/capture).
PACKAGES=(llvm-14-dev libbpf-dev libelf-dev zlib1g-dev libzstd-dev libxml2-dev libncurses-dev
          cmake make g++ python3 iproute2 util-linux procps tmux iputils-ping
          qemu-system-x86 busybox-static kmod xz-utils zstd bpftool
          prometheus apache2-utils openssl
          libpcap-dev tcpdump tshark
          bpftrace)  # test/compat/: bpftrace programs run side by side with bpftrace 0.17

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "setup: installing system packages needs root" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The prometheus package enables a system service on port 9090; the tests run their own
# servers, so a system one would only hold the port and a data dir: stop and disable it.
if [ "$(id -u)" -eq 0 ] && dpkg -s prometheus >/dev/null 2>&1; then
  if [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ]; then
    /etc/init.d/prometheus stop >/dev/null 2>&1 || true
    update-rc.d prometheus disable >/dev/null 2>&1 || true
  fi
fi

# llvm-bindings' CMake looks for llvm-config on PATH.
if ! command -v llvm-config >/dev/null 2>&1; then
  export PATH="/usr/lib/llvm-14/bin:$PATH"
fi

if [ ! -f node_modules/llvm-bindings/build/Release/llvm-bindings.node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm install (first time: builds llvm-bindings against LLVM 14, a few minutes)"
  npm install --no-fund --no-audit
fi
# One copy of LLVM per process: npm builds llvm-bindings with LLVM linked in statically;
# this rebuilds it against the shared libLLVM-14 that the emit addon links (~1.5 min,
# once; nothing to do when it already links it).
scripts/llvm-bindings-shared.sh

echo "setup: building the native addon and the TypeScript sources"
npm run --silent build
echo "setup: done"
