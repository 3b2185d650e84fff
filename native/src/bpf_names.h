// Kernel object names (maps, programs) are at most 15 characters of [A-Za-z0-9_.];
// the kernel refuses anything else with EINVAL, so names are cleaned up before use.
#pragma once

#include <string>

namespace nettrace {

inline std::string KernelObjectName(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (out.size() == 15) break;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.';
    out.push_back(ok ? c : '_');
  }
  return out;
}

}  // namespace nettrace
