# Build of nettrace's native addons (`npx node-gyp rebuild --directory native`):
#
#   nettrace_emit.node  LLVM's BPF backend: IR text -> BPF object, and the disassembler.
#                       Loaded only when something is compiled.
#   nettrace_bpf.node   libbpf: maps, loading, attaching, ring buffer, feature probes.
#                       Everything a compiled program needs to run; no LLVM in it.
#   nettrace_pcap.node  libpcap's filter compiler (pcap("...") and -F): a filter to
#                       classic BPF, which codegen translates. Loaded only by the compiler.
#
# Two modules rather than one so that running an already compiled program maps neither
# LLVM copy into the process (issue 10; the compiled-program cache builds on it).
#
# Exceptions: our own files are compiled with C++ exceptions on (-fexceptions and
# NAPI_CPP_EXCEPTIONS, what node-addon-api's `node_addon_api_except` target sets; set
# here directly because depending on that target makes gyp write its makefiles into
# native/node_modules/), so a failed N-API call or a typed error simply `throw`s. LLVM
# itself is built without exceptions and RTTI; that is fine as long as no exception
# crosses an LLVM or libbpf frame, which the sources guarantee (errors from C callbacks
# are stashed and rethrown after the C call returns). We take only `llvm-config
# --cppflags` (include dir and defines), not `--cxxflags`, whose -fno-exceptions /
# -std=c++14 would fight node-gyp's -std=gnu++17. RTTI stays off (node-gyp's default),
# matching LLVM's -fno-rtti.
#
# The emitter links the shared libLLVM-14.so (llvm-config --link-shared): it stays small
# (under 1 MB) and links in seconds. It is loaded with RTLD_LOCAL, so its LLVM copy does
# not clash with llvm-bindings' statically linked one in the same process.
{
  "target_defaults": {
    "include_dirs": [
      "<!(node -p \"require('node-addon-api').include_dir\")"
    ],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions"],
    "cflags_cc": [
      "-fexceptions",
      "-Wall",
      "-Wextra",
      "-Wno-unused-parameter"
    ]
  },
  "targets": [
    {
      "target_name": "nettrace_emit",
      "sources": [
        "src/addon_emit.cc",
        "src/emit.cc",
        "src/disasm.cc",
        "src/errors.cc",
        "src/llvm_init.cc"
      ],
      "cflags_cc": [
        "<!@(llvm-config-14 --cppflags)"
      ],
      "libraries": [
        "<!@(llvm-config-14 --ldflags)",
        "<!@(llvm-config-14 --link-shared --libs bpfcodegen bpfasmparser bpfdesc bpfinfo bpfdisassembler ipo passes irreader object mc)"
      ],
      "ldflags": [
        "-Wl,-rpath,<!(llvm-config-14 --libdir)"
      ]
    },
    {
      "target_name": "nettrace_bpf",
      "sources": [
        "src/addon_bpf.cc",
        "src/maps.cc",
        "src/load.cc",
        "src/attach.cc",
        "src/perf_attach.cc",
        "src/tc_classic.cc",
        "src/features.cc",
        "src/ringbuf.cc",
        "src/errors.cc",
        "src/libbpf_log.cc",
        "src/tracefs.cc",
        "src/ids.cc",
        "src/preload.cc"
      ],
      "libraries": [
        "-lbpf",
        "-lelf",
        "-lz"
      ]
    },
    {
      "target_name": "nettrace_pcap",
      "sources": [
        "src/addon_pcap.cc"
      ],
      "libraries": [
        "-lpcap"
      ]
    }
  ]
}
