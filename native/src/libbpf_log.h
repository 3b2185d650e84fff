// libbpf prints its warnings to stderr by default. We route them into a buffer instead,
// so that a failure can carry libbpf's explanation in its error message and a success
// stays quiet. Only the JS thread calls libbpf.
#pragma once

#include <string>

namespace nettrace {

void InstallLibbpfLogger();

// While an instance is alive, libbpf's warnings and info lines are appended to `text`
// (debug lines are dropped). Scopes nest; the innermost one collects.
class LibbpfLogCapture {
 public:
  LibbpfLogCapture();
  ~LibbpfLogCapture();
  LibbpfLogCapture(const LibbpfLogCapture&) = delete;
  LibbpfLogCapture& operator=(const LibbpfLogCapture&) = delete;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  LibbpfLogCapture* previous_;
};

}  // namespace nettrace
