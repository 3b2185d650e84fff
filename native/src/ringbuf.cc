// openRingBuffer(mapFd, onEvent): delivers BPF_MAP_TYPE_RINGBUF records to JavaScript.
//
// No extra thread: libbpf's ring_buffer keeps an epoll fd that becomes readable when
// records arrive, and a libuv poll handle on Node's own loop watches it, so records are
// consumed on the JS thread between other work. An open subscription keeps the event
// loop alive (like an open socket) until close() is called.
//
// onEvent is called from inside libbpf's consume loop. Nothing may unwind through those
// C frames, so a JS exception thrown by onEvent is caught, consumption stops, and the
// exception is rethrown once libbpf has returned: from poll() to its caller, or, when
// the loop drove the consumption, as an uncaught exception (process 'uncaughtException').
//
// libbpf's consume loop runs until the ring is empty, and a probe that fires faster than
// JavaScript handles its records keeps it from ever being empty: one call would never
// return, and nothing else on the JS thread (exit(), Ctrl-C, timers) would run. So one
// turn delivers at most kRecordsPerTurn records; the epoll fd stays readable (level-
// triggered), and the next turn of the event loop takes the rest.
#include <bpf/libbpf.h>
#include <napi.h>
#include <uv.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <string>

#include "args.h"
#include "errors.h"
#include "libbpf_log.h"
#include "modules.h"

namespace nettrace {
namespace {

constexpr int kRecordsPerTurn = 4096;
// What OnSample returns to end one libbpf loop when the turn's budget is spent.
constexpr int kBudgetSpent = -EAGAIN;

class Subscription {
 public:
  static std::shared_ptr<Subscription> Open(Napi::Env env, int mapFd, Napi::Function onEvent);

  // Consumes records already there, waiting up to timeoutMs for the first one. Returns
  // how many were delivered. Throws what onEvent threw.
  int Poll(Napi::Env env, int timeoutMs);
  void Close();

 private:
  explicit Subscription(Napi::Env env) : env_(env) {}

  static int OnSample(void* context, void* data, size_t size);
  static void OnReadable(uv_poll_t* handle, int status, int events);
  static void OnEnvCleanup(void* arg);

  // Runs a libbpf consume call; a close() requested by onEvent meanwhile takes effect
  // once libbpf has returned.
  template <typename F>
  int Consuming(F consume) {
    if (depth_ == 0) delivered_ = 0;
    depth_++;
    int rc = consume();
    depth_--;
    if (closed_ && depth_ == 0) Teardown();
    return rc;
  }
  void Teardown();

  Napi::Env env_;
  Napi::FunctionReference onEvent_;
  std::unique_ptr<Napi::AsyncContext> async_;
  ring_buffer* ring_ = nullptr;
  uv_poll_t* poll_ = nullptr;
  int depth_ = 0;
  // Records delivered in the current turn (see kRecordsPerTurn).
  int delivered_ = 0;
  bool closed_ = false;
  bool cleanupHookInstalled_ = false;
  std::optional<Napi::Error> pending_;
  // The uv handle and the cleanup hook hold raw pointers: while open, we own ourselves.
  std::shared_ptr<Subscription> self_;
};

std::shared_ptr<Subscription> Subscription::Open(Napi::Env env, int mapFd, Napi::Function onEvent) {
  std::shared_ptr<Subscription> sub(new Subscription(env));
  sub->onEvent_ = Napi::Persistent(onEvent);
  sub->async_ = std::make_unique<Napi::AsyncContext>(env, "nettrace:ringbuf");

  LibbpfLogCapture libbpfLog;
  sub->ring_ = ring_buffer__new(mapFd, OnSample, sub.get(), nullptr);
  if (sub->ring_ == nullptr) {
    int err = errno;
    ThrowErrno(env, Code::Other, "cannot open ring buffer map fd " + std::to_string(mapFd), err);
  }
  uv_loop_s* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    ring_buffer__free(sub->ring_);
    sub->ring_ = nullptr;
    Throw(env, Code::Other, "no libuv loop for this Node environment");
  }
  sub->poll_ = new uv_poll_t;
  int rc = uv_poll_init(loop, sub->poll_, ring_buffer__epoll_fd(sub->ring_));
  if (rc == 0) {
    sub->poll_->data = sub.get();
    rc = uv_poll_start(sub->poll_, UV_READABLE, OnReadable);
    if (rc != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(sub->poll_),
               [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
      sub->poll_ = nullptr;
    }
  } else {
    delete sub->poll_;
    sub->poll_ = nullptr;
  }
  if (rc != 0) {
    ring_buffer__free(sub->ring_);
    sub->ring_ = nullptr;
    Throw(env, Code::Other, std::string("cannot watch the ring buffer: ") + uv_strerror(rc), -rc);
  }
  napi_add_env_cleanup_hook(env, OnEnvCleanup, sub.get());
  sub->cleanupHookInstalled_ = true;
  sub->self_ = sub;
  return sub;
}

int Subscription::OnSample(void* context, void* data, size_t size) {
  auto* self = static_cast<Subscription*>(context);
  if (self->closed_ || self->pending_) return -ECANCELED;
  try {
    Napi::HandleScope scope(self->env_);
    Napi::Buffer<uint8_t> record =
        Napi::Buffer<uint8_t>::Copy(self->env_, static_cast<const uint8_t*>(data), size);
    self->onEvent_.Call({record});
  } catch (const Napi::Error& error) {
    self->pending_ = error;
    return -ECANCELED;
  } catch (const std::exception& error) {
    self->pending_ = Napi::Error::New(self->env_, error.what());
    return -ECANCELED;
  }
  // A negative return stops libbpf's loop: needed when onEvent closed the subscription.
  if (self->closed_) return -ECANCELED;
  return ++self->delivered_ >= kRecordsPerTurn ? kBudgetSpent : 0;
}

void Subscription::OnReadable(uv_poll_t* handle, int status, int events) {
  auto* raw = static_cast<Subscription*>(handle->data);
  std::shared_ptr<Subscription> self = raw->self_;  // survive a close() from onEvent
  if (!self || self->closed_) return;
  Napi::Env env = self->env_;
  Napi::HandleScope scope(env);
  {
    // Like MakeCallback: async hooks see the callbacks, and microtasks / nextTicks run
    // when the scope ends.
    Napi::CallbackScope callbackScope(env, *self->async_);
    self->Consuming([&] { return ring_buffer__consume(self->ring_); });
  }
  if (self->pending_) {
    Napi::Error error = *self->pending_;
    self->pending_.reset();
    napi_fatal_exception(env, error.Value());
  }
}

int Subscription::Poll(Napi::Env env, int timeoutMs) {
  if (closed_) return 0;
  if (depth_ > 0) Throw(env, Code::Other, "poll() cannot be called from inside onEvent");
  // Without a wait, the ring is read directly: ring_buffer__poll asks epoll first, and the
  // kernel marks the ring readable from an irq_work queued at commit (and only when the
  // reader had caught up), so a record committed a moment ago can be in the ring while
  // epoll does not say so yet. A drain (exit seen in the status word, the end of a run)
  // must deliver it.
  int rc = Consuming([&] { return timeoutMs == 0 ? ring_buffer__consume(ring_) : ring_buffer__poll(ring_, timeoutMs); });
  if (pending_) {
    Napi::Error error = *pending_;
    pending_.reset();
    throw error;
  }
  if (rc == kBudgetSpent) return delivered_;  // more may be waiting: the caller polls again
  if (rc < 0 && rc != -ECANCELED && rc != -EINTR) {
    ThrowErrno(env, Code::Other, "ring_buffer__poll", -rc);
  }
  return rc < 0 ? 0 : rc;
}

void Subscription::Close() {
  if (closed_) return;
  closed_ = true;
  if (depth_ == 0) Teardown();
}

void Subscription::Teardown() {
  if (poll_ != nullptr) {
    // Stops watching the epoll fd at once (before ring_buffer__free closes it); the
    // handle's memory goes back when libuv is done with it.
    uv_close(reinterpret_cast<uv_handle_t*>(poll_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
    poll_ = nullptr;
  }
  if (ring_ != nullptr) {
    ring_buffer__free(ring_);
    ring_ = nullptr;
  }
  onEvent_.Reset();
  async_.reset();
  if (cleanupHookInstalled_) {
    napi_remove_env_cleanup_hook(env_, OnEnvCleanup, this);
    cleanupHookInstalled_ = false;
  }
  std::shared_ptr<Subscription> last = std::move(self_);  // may free us on return
}

void Subscription::OnEnvCleanup(void* arg) {
  auto* self = static_cast<Subscription*>(arg);
  self->cleanupHookInstalled_ = false;  // Node removed the hook before calling it
  self->closed_ = true;
  self->Teardown();
}

Napi::Value OpenRingBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int mapFd = args::Fd(info, 0, "mapFd");
  Napi::Value callback = args::At(info, 1);
  if (!callback.IsFunction()) Throw(env, Code::Other, "onEvent must be a function");
  std::shared_ptr<Subscription> sub = Subscription::Open(env, mapFd, callback.As<Napi::Function>());

  Napi::Object handle = Napi::Object::New(env);
  handle.Set("close", Napi::Function::New(
                          env,
                          [sub](const Napi::CallbackInfo& call) {
                            sub->Close();
                            return call.Env().Undefined();
                          },
                          "close"));
  handle.Set("poll", Napi::Function::New(
                         env,
                         [sub](const Napi::CallbackInfo& call) -> Napi::Value {
                           int timeoutMs = args::IsMissing(args::At(call, 0))
                                               ? 0
                                               : args::Int(call, 0, "timeoutMs", -1, INT32_MAX);
                           return Napi::Number::New(call.Env(), sub->Poll(call.Env(), timeoutMs));
                         },
                         "poll"));
  return handle;
}

}  // namespace

void RegisterRingBuf(Napi::Env env, Napi::Object exports) {
  exports.Set("openRingBuffer", Napi::Function::New(env, OpenRingBuffer, "openRingBuffer"));
}

}  // namespace nettrace
