// Tracepoint ids from tracefs. tracefs is not mounted at boot on this machine, so the
// first lookup mounts it at /sys/kernel/tracing when no mounted copy is found.
#pragma once

#include <napi.h>

#include <string>

namespace nettrace {

// The id of tracepoint CATEGORY:NAME; throws NO_SUCH_TRACEPOINT when it does not exist,
// NOT_SUPPORTED when tracefs is unavailable.
uint64_t TracepointId(Napi::Env env, const std::string& category, const std::string& name);

}  // namespace nettrace
