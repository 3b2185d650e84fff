// preloadLibrary(soname): dlopen() of a shared library on a thread of libuv's pool.
//
// A cold compile loads LLVM's shared library (110 MB, tens of thousands of relocations:
// ~18 ms on this machine) when codegen first needs llvm-bindings. Started on a pool
// thread while the main thread loads and runs the parser and the checker, the work is
// done by the time that load comes: the dynamic loader then finds the library by its
// soname among those already loaded. The handle is never closed (the process uses the
// library until it exits). A warm-up only: failing to load resolves false, and the real
// load later reports whatever is wrong.
#include <dlfcn.h>
#include <napi.h>

#include <string>

#include "modules.h"

namespace nettrace {
namespace {

class PreloadWorker : public Napi::AsyncWorker {
 public:
  PreloadWorker(Napi::Env env, std::string soname)
      : Napi::AsyncWorker(env), soname_(std::move(soname)), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { loaded_ = dlopen(soname_.c_str(), RTLD_NOW | RTLD_LOCAL) != nullptr; }
  void OnOK() override { deferred_.Resolve(Napi::Boolean::New(Env(), loaded_)); }

 private:
  std::string soname_;
  Napi::Promise::Deferred deferred_;
  bool loaded_ = false;
};

Napi::Value PreloadLibrary(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) {
    throw Napi::TypeError::New(info.Env(), "preloadLibrary(soname: string)");
  }
  auto* worker = new PreloadWorker(info.Env(), info[0].As<Napi::String>().Utf8Value());
  Napi::Promise promise = worker->Promise();
  worker->Queue();  // the worker deletes itself once it has resolved
  return promise;
}

}  // namespace

void RegisterPreload(Napi::Env env, Napi::Object exports) {
  exports.Set("preloadLibrary", Napi::Function::New(env, PreloadLibrary, "preloadLibrary"));
}

}  // namespace nettrace
