// What every bench C program shares. Maps are referenced by index through the
// llvm.bpf.pseudo intrinsic (as BCC's bpf_pseudo_fd does): the bench loads these objects
// with nettrace's own loader, which binds index i to the i-th map fd, so no libbpf map
// relocation is involved and both sides load the same way.
#pragma once
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

unsigned long long bpf_pseudo_fd(unsigned long long, unsigned long long) asm("llvm.bpf.pseudo");
#define MAP(index) ((void *)bpf_pseudo_fd(1 /* BPF_PSEUDO_MAP_FD */, (index)))
