// The kernel's uapi numbers nettrace uses (include/uapi/linux/bpf.h, if_link.h,
// pkt_cls.h), written down once: the probe kinds, codegen, the runtime and the native
// wrapper all take them from here. libbpf 1.1's headers lack tcx, which is why they are
// not read from C.

/** enum bpf_prog_type */
export const BPF_PROG_TYPE = {
  KPROBE: 2,
  SCHED_CLS: 3,
  TRACEPOINT: 5,
  XDP: 6,
  PERF_EVENT: 7,
  RAW_TRACEPOINT: 17,
  TRACING: 26,
} as const;

/** enum bpf_map_type */
export const BPF_MAP_TYPE = {
  HASH: 1,
  ARRAY: 2,
  PERCPU_HASH: 5,
  PERCPU_ARRAY: 6,
  STACK_TRACE: 7,
  RINGBUF: 27,
} as const;

/** enum bpf_attach_type */
export const BPF_ATTACH_TYPE = {
  TRACE_RAW_TP: 23,
  TRACE_FENTRY: 24,
  TRACE_FEXIT: 25,
  XDP: 37,
  TCX_INGRESS: 46,
  TCX_EGRESS: 47,
} as const;

/** Flags of a map update (BPF_ANY, BPF_NOEXIST, BPF_EXIST). */
export const BPF_UPDATE = { ANY: 0, NOEXIST: 1, EXIST: 2 } as const;

/** BPF_PSEUDO_MAP_FD: an ld_imm64 whose immediate is a map fd (codegen puts the map's index there). */
export const BPF_PSEUDO_MAP_FD = 1;

/**
 * BPF_PSEUDO_MAP_VALUE: an ld_imm64 that loads the address of the value of a one-entry
 * array map (the immediate is the map, the second half's the offset; since 5.2). The
 * verifier makes it a pointer to the value: no lookup, no null check.
 */
export const BPF_PSEUDO_MAP_VALUE = 2;

/** Helper ids (enum bpf_func_id, BPF_FUNC_*): a program calls a helper by its number. */
export const BPF_FUNC = {
  map_lookup_elem: 1,
  map_update_elem: 2,
  map_delete_elem: 3,
  ktime_get_ns: 5,
  get_smp_processor_id: 8,
  get_current_pid_tgid: 14,
  get_current_uid_gid: 15,
  get_current_comm: 16,
  skb_load_bytes: 26,
  get_stackid: 27,
  get_current_task: 35,
  get_current_cgroup_id: 80,
  probe_read_kernel: 113,
  probe_read_user_str: 114,
  probe_read_kernel_str: 115,
  ringbuf_output: 130,
} as const;

/** enum xdp_action: what an XDP program's return value does with the packet. */
export const XDP_ACTION = { DROP: 1, PASS: 2, TX: 3 } as const;

/**
 * tcx return codes: TCX_NEXT (-1) hands the packet to the next program on the hook, or
 * lets it go on when there is none; TCX_DROP (2) drops it. A classic cls_bpf filter reads
 * the same numbers as TC_ACT_UNSPEC ("go on") and TC_ACT_SHOT.
 */
export const TCX_ACTION = { NEXT: -1, DROP: 2 } as const;
