// The matrix's cases, in the order they run and appear in the table. Each case is
// { name, kind?, refusal?, run(t) }: `kind` is its column in the README's table of
// supported kernels (none for cases that test no kind of probe); `refusal` and `t` are
// described in ../runner/context.js.
import packet from './packet.js';
import tracing from './tracing.js';
import language from './language.js';
import cli from './cli.js';
import stdlib from './stdlib.js';
import cleanup from './cleanup.js';
import capture from './capture.js';
import functions from './functions.js';

export default [...packet, ...tracing, ...language, ...cli, ...stdlib, ...capture, ...functions, ...cleanup];
