#include "tracefs.h"

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "errors.h"

namespace nettrace {
namespace {

bool HasEvents(const std::string& root) { return access((root + "/events").c_str(), F_OK) == 0; }

std::string TracefsRoot(Napi::Env env) {
  static const char* const kRoots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
  for (const char* root : kRoots) {
    if (HasEvents(root)) return root;
  }
  const std::string root = kRoots[0];
  if (mount("nodev", root.c_str(), "tracefs", 0, nullptr) != 0 && errno != EBUSY) {
    ThrowErrno(env, errno == EPERM ? Code::Permission : Code::NotSupported,
               "tracefs is not mounted and mounting it at " + root + " failed", errno);
  }
  if (!HasEvents(root)) {
    Throw(env, Code::NotSupported,
          "tracefs at " + root + " has no events directory (inside `ip netns exec`, /sys is "
          "remounted and hides it: attach tracepoints from the root namespace)",
          ENOENT);
  }
  return root;
}

// Names become path components: refuse anything that could climb out of events/.
bool IsPlainName(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos &&
         s.find('\0') == std::string::npos;
}

}  // namespace

uint64_t TracepointId(Napi::Env env, const std::string& category, const std::string& name) {
  if (!IsPlainName(category) || !IsPlainName(name)) {
    Throw(env, Code::NoSuchTracepoint, "invalid tracepoint name '" + category + ":" + name + "'",
          EINVAL);
  }
  const std::string path = TracefsRoot(env) + "/events/" + category + "/" + name + "/id";
  std::ifstream file(path);
  uint64_t id = 0;
  if (!file || !(file >> id)) {
    Throw(env, Code::NoSuchTracepoint,
          "no tracepoint " + category + ":" + name + " (" + path + " is missing)", ENOENT);
  }
  return id;
}

}  // namespace nettrace
