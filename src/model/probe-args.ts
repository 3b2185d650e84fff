// What `args` holds in a probe, as the probe kind resolved it. Plain data: it travels
// in the compiled program's description, and `nettrace -lv` prints it.
import type { EnumNames, Type } from './types.js';
import type { KernelRead } from './kernel-read.js';

/** A field of a classic tracepoint's record. */
export interface RecordArg {
  name: string;
  /** The C declaration's type, as the format file writes it (`__u8[4]`, `enum skb_drop_reason`). */
  ctype: string;
  /** Undefined when nettrace cannot read this field; `unsupported` says why. */
  type?: Type;
  read?: KernelRead;
  unsupported?: string;
}

/** A BTF-typed argument (tp_btf, fentry/fexit) or fexit's return value. */
export interface BtfArg {
  name: string;
  /** BTF type id in the running kernel's vmlinux BTF. */
  btfType: number;
  ctype: string;
  /** Value names for an integer the kernel prints symbolically (symbolNames in src/probes/tracepoint-fields.ts). */
  enum?: EnumNames;
}

export type ProbeArgs =
  | { kind: 'record'; fields: RecordArg[] }
  | {
      kind: 'btf';
      params: BtfArg[];
      /** fexit only: the function's return value, read after the arguments. */
      retval?: BtfArg;
      /**
       * kprobe/kretprobe: the arguments are not a u64 array but registers saved in
       * struct pt_regs; these are their offsets there (from BTF), in calling-convention
       * order, and the offset of the return value's register.
       */
      registers?: Registers;
    };

export interface Registers {
  args: number[];
  retval: number;
}
