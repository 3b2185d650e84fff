#!/usr/bin/env bash
# Installs the peers the benchmarks compare against, from Debian, for the bench only:
# bpftrace (same one-liners), clang-14 (hand-written C programs in bench/c/) and bpftool
# (not needed by nettrace; handy to inspect what the bench loaded). nettrace itself never
# needs any of them. Run as root; safe to run again.
set -euo pipefail
PEERS=(bpftrace clang-14 bpftool)
missing=()
for p in "${PEERS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then echo "bench/setup.sh: installing ${missing[*]} needs root" >&2; exit 1; fi
  echo "bench/setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
