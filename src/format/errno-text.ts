// A helper's negative return value as the C library names it, for -k's warnings
// ("Argument list too long (-7)", as bpftrace prints strerror). Only the errors map
// helpers and kernel reads return are named; others print as their number.
const MESSAGES: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  7: 'Argument list too long',
  12: 'Cannot allocate memory',
  14: 'Bad address',
  16: 'Device or resource busy',
  17: 'File exists',
  22: 'Invalid argument',
  28: 'No space left on device',
  // bpf_probe_read_kernel of an address below the kernel's (a NULL-ish pointer).
  34: 'Numerical result out of range',
};

/** `Argument list too long (-7)`; an unknown error is `error -N`. */
export function helperErrorText(retcode: number): string {
  const message = MESSAGES[-retcode];
  return message === undefined ? `error ${retcode}` : `${message} (${retcode})`;
}
