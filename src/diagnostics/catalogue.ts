// The one catalogue of user-facing errors. Codes are stable: tests assert them, docs link
// them, users search for them. Never renumber; retire a code by leaving it here unused.
//
// Ranges: NT01xx lexing and parsing, NT02xx probes, NT03xx names and types,
// NT04xx code generation and the verifier, NT05xx running (privileges, attach, kernel).

export interface CatalogueEntry {
  code: string;
  /** One line for `docs/errors.md`. */
  summary: string;
}

function entry(code: string, summary: string): CatalogueEntry {
  return { code, summary };
}

export const E = {
  // lexing and parsing
  UnknownCharacter: entry('NT0101', 'a character that is not part of the language'),
  UnexpectedToken: entry('NT0102', 'the parser expected something else here'),
  UnterminatedString: entry('NT0103', 'a string literal without its closing quote'),
  UnterminatedComment: entry('NT0104', 'a /* comment without its closing */'),
  AngleComparison: entry('NT0105', 'an unparenthesised `>` inside a `< ... >` block'),
  BadLiteral: entry('NT0106', 'a malformed number, address or MAC literal'),
  EmptyProgram: entry('NT0107', 'the program has no probes'),
  BadEscape: entry('NT0108', 'an unknown or malformed escape sequence in a string literal'),
  TooDeeplyNested: entry('NT0109', 'brackets or expressions nested deeper than the parser allows'),

  // probes
  UnknownProbeKind: entry('NT0201', 'a probe kind nettrace does not know'),
  NoSuchInterface: entry('NT0202', 'the interface of an xdp or tc probe does not exist'),
  BadProbeSpec: entry('NT0203', 'a probe with the wrong number or form of parts'),
  NoSuchTracepoint: entry('NT0204', 'the kernel has no such tracepoint'),
  NoSuchFunction: entry('NT0205', 'the kernel has no such function in its BTF'),
  ProbeNotSupported: entry('NT0206', 'the running kernel cannot attach this kind of probe'),
  MissingPositional: entry('NT0207', 'a probe uses a positional parameter ($1) the command line does not give'),

  // names and types
  UnknownIdentifier: entry('NT0301', 'a name that is neither a builtin nor a header'),
  UnknownField: entry('NT0302', 'a field that the value does not have'),
  UnknownFunction: entry('NT0303', 'a call to a function nettrace does not have'),
  WrongArgCount: entry('NT0304', 'a call with the wrong number of arguments'),
  TypeMismatch: entry('NT0305', 'an operation on values of types that do not fit'),
  NotInThisProbe: entry('NT0306', 'a builtin or header that this probe kind cannot read'),
  MapKindConflict: entry('NT0307', 'a map used with different key or value types'),
  UndefinedVariable: entry('NT0308', 'a $variable read before it is assigned'),
  AggregationMisuse: entry('NT0309', 'an aggregation used where a value is needed'),
  ActionNotAllowed: entry('NT0310', 'an action the probe cannot take (tx in tc, any action outside xdp/tc), or drop/tx without --unsafe'),
  BadArgument: entry('NT0311', 'an argument of the right type but an unusable value'),
  BadFormat: entry('NT0312', 'a printf format string nettrace cannot use'),
  UnknownConstant: entry('NT0313', 'an ALL_CAPS name that is no kernel enum value and no TCP flag'),
  ProtocolNameClash: entry('NT0314', 'a header name (udp) compared with a number, where the protocol number (IPPROTO_UDP) was meant'),
  UnknownKernelSymbol: entry('NT0350', 'kaddr() names no symbol of /proc/kallsyms (or the table hides addresses: not root)'),
  UnsafeFunction: entry('NT0351', 'cat() or system() without --unsafe: they read files and run commands as root'),
  ChildPidWithoutCommand: entry('NT0360', 'cpid is used, but no command is run with -c'),
  NetworkHostBits: entry('NT0330', 'a network literal with bits set past its prefix (10.1.2.3/8), which tcpdump refuses too'),
  ByteOffsetSize: entry('NT0340', 'a byte offset\'s size other than 1, 2 or 4 (ip[6:3]), or not a number literal'),
  ByteOffsetRange: entry('NT0341', 'a byte offset that is negative, past 65535, or not a number'),
  NoByteOffsets: entry('NT0342', '[...] after something that takes no byte offsets (only pkt, payload and the header names do)'),
  VlanTagIndex: entry('NT0343', 'vlan[i] with i other than 0 (the outer tag) or 1 (the inner tag), or not a number literal'),
  PcapSkbArgument: entry('NT0344', 'pcap(SKB, "filter") with an SKB that is not a struct sk_buff pointer, or on a kernel whose sk_buff layout is not in BTF'),

  // code generation and the verifier
  VerifierRejected: entry('NT0401', 'the kernel verifier rejected the generated program'),
  CodegenFailed: entry('NT0402', 'internal: nettrace produced IR that LLVM refused (a bug)'),
  ProgramTooLarge: entry('NT0403', 'a probe needs more than the 512 bytes of stack a BPF program has'),
  TooManyMapsInProgram: entry('NT0460', 'one program uses more maps than the kernel allows a program (64; blocks on one xdp:IF are one program)'),
  PcapFilterRefused: entry('NT0420', 'libpcap refused a pcap-filter expression (pcap("...") or -F)'),
  CaptureWithoutPacket: entry('NT0440', 'capture() where no packet is at hand (not an xdp/tc probe, and no sk_buff given)'),
  CaptureArgument: entry('NT0441', 'capture(X) with an X that is not a struct sk_buff pointer'),
  CaptureUnsupported: entry('NT0442', 'this kernel cannot copy the packet capture() asks for (bpf_xdp_load_bytes, or the sk_buff layout)'),
  CaptureWithoutFile: entry('NT0443', 'capture() in a program run without -w FILE (or the REPL\'s .capture FILE)'),

  // running
  MissingPrivilege: entry('NT0501', 'nettrace lacks a capability it needs (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN)'),
  AttachFailed: entry('NT0502', 'the kernel refused to attach a probe'),
  NativeAddonMissing: entry('NT0503', 'the native addon is not built'),
  FileNotFound: entry('NT0504', 'the script file cannot be read'),
  BadOption: entry('NT0505', 'a command-line option nettrace does not understand'),
  InterfaceGone: entry('NT0506', 'an interface with an attached probe disappeared'),
  MapFull: entry('NT0507', 'a map reached its maximum number of entries: updates were dropped (and counted)'),
  OutputFileUnwritable: entry('NT0508', 'the -o output file cannot be opened for writing'),
  NoSuchProcess: entry('NT0509', 'the process -p names does not exist'),
  NoChildCommand: entry('NT0590', "the command -c names cannot be run (not found, not executable, or no command given)"),
  HelperError: entry('NT0591', 'with -k: a helper call failed where the program is, reported as it happens (a map update the kernel refused, a kernel read through a bad pointer)'),
  CacheUnavailable: entry('NT0520', 'the compiled-program cache directory cannot be used (not ours, or writable by others)'),
  ServeInsecure: entry('NT0540', 'metrics would be served on a non-loopback address without TLS and basic auth (--web-config)'),
  BadWebConfig: entry('NT0541', 'the --web-config file cannot be read or is not a valid web config'),
  ServeListenFailed: entry('NT0542', 'the metrics endpoint cannot listen on the address given to --serve'),
  SeriesDropped: entry('NT0543', 'a scrape had more series than --serve-max-series allows: the rest were dropped (and counted)'),
  UnknownLesson: entry('NT0560', 'no lesson by that name (`nettrace lesson` lists them)'),
  LessonFailed: entry('NT0561', 'a lesson could not build its sandbox, start its script or make its traffic'),
  CaptureFileUnwritable: entry('NT0570', 'the -w capture file cannot be opened for writing'),
  CapturePacketsRefused: entry('NT0571', 'captured packets were lost: the capture ring buffer was full (counted in the file)'),
} as const;

export function allCatalogueEntries(): CatalogueEntry[] {
  return Object.values(E);
}
