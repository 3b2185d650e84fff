#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>

namespace nettrace {
namespace {

LibbpfLogCapture* g_current = nullptr;
std::string* g_sink = nullptr;

int Print(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG || g_sink == nullptr) return 0;
  char line[1024];
  int n = vsnprintf(line, sizeof line, format, args);
  if (n > 0) g_sink->append(line, n < static_cast<int>(sizeof line) ? n : sizeof line - 1);
  return 0;
}

}  // namespace

void InstallLibbpfLogger() { libbpf_set_print(Print); }

LibbpfLogCapture::LibbpfLogCapture() : previous_(g_current) {
  g_current = this;
  g_sink = &text_;
}

LibbpfLogCapture::~LibbpfLogCapture() {
  g_current = previous_;
  g_sink = previous_ != nullptr ? &previous_->text_ : nullptr;
}

}  // namespace nettrace
