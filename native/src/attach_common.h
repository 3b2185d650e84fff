// What every attach file shares: typed attach errors and interface checks.
#pragma once

#include <napi.h>

#include <string>

#include "errors.h"

namespace nettrace {

// EPERM/EACCES → PERMISSION (or NOT_SUPPORTED with the capabilities held),
// EOPNOTSUPP/ENOTSUPP/ENOSYS → NOT_SUPPORTED, ENODEV/ENXIO → NO_SUCH_INTERFACE.
Code CodeForAttachErrno(int err);

// Throws "cannot attach <what>: <strerror(err)>" with the code for err.
[[noreturn]] void ThrowAttach(Napi::Env env, const std::string& what, int err);

// "eth0 (ifindex 2)", or "ifindex 2" when the interface has no name any more.
std::string InterfaceLabel(int ifindex);

// Argument i as an ifindex that names an existing interface; throws NO_SUCH_INTERFACE.
int CheckIfindex(const Napi::CallbackInfo& info, size_t i);

}  // namespace nettrace
