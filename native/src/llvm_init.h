// One-time registration of the LLVM BPF target (the only target this addon uses).
#pragma once

namespace nettrace {

void InitializeBpfTarget();

// The triple all objects are emitted for: little-endian BPF.
inline constexpr const char* kBpfTriple = "bpfel";

}  // namespace nettrace
