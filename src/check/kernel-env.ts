// What the checker may ask of the kernel it compiles for. The runtime passes the live
// machine (src/runtime/live-env.ts); unit tests pass a fake. Keeping this an interface is
// what lets a compiled program be built and tested without privileges.
export interface KernelEnv {
  /** Names of the network interfaces that exist. */
  interfaces(): string[];
}
