// Shared machinery of evented, fd-backed frame sources (packet sockets, TAP devices).
#pragma once

#include <napi.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "errors.h"
#include "fd_watcher.h"

namespace netio {

// Frames read per wake-up at most. A default receive queue holds a few hundred frames, so one wake-up drains
// it; the cap only stops a flooded port from starving the loop (the poll is level-triggered: what is left is
// read on the next turn).
constexpr int kMaxFramesPerWakeup = 1024;
// Largest frame read: 64 KiB of payload plus link and virtio-net headers.
constexpr size_t kFrameBufferSize = 65536 + 64;

// An FdWatcher on the libuv loop (no thread per port), one receive buffer, and the JS callbacks 'onframe' and
// 'onerror' looked up on the wrapper object (never held strongly, so an unreachable, unref'd port can be
// collected). The port is pinned while open and referenced; GC closes it as a fallback only, and the end of
// its env closes it too.
//
// Derived provides:
//   ssize_t ReadFrame();     // one frame into buffer(); its length, or -errno (-EAGAIN when drained)
//   int PendingError();      // the error behind a POLLERR (0 if none)
//   static bool IsTransient(int err);
//   bool DeliverFrame(Napi::Env, Napi::Object self, Napi::Function onframe, size_t length);  // false: JS threw
template <typename Derived>
class FramePort : public Napi::ObjectWrap<Derived>, private FdWatcher::Owner {
 public:
  explicit FramePort(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<Derived>(info), buffer_(kFrameBufferSize) {}
  ~FramePort() override { Shutdown(false); }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (!CheckOpen(info.Env(), "close")) return Napi::Value();
    Shutdown(true);
    return info.Env().Undefined();
  }
  Napi::Value RefPort(const Napi::CallbackInfo& info) { return SetReferenced(info, true); }
  Napi::Value UnrefPort(const Napi::CallbackInfo& info) { return SetReferenced(info, false); }
  Napi::Value Fd(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), fd()); }

 protected:
  // Takes ownership of fd (closing it on failure) and starts watching it for input.
  bool Start(Napi::Env env, int fd, const char* resource_name) {
    int error = 0;
    watcher_ = FdWatcher::Start(env, fd, UV_READABLE, this, &error);
    if (watcher_ == nullptr) {
      ErrnoError(env, -error, "uv_poll_start").ThrowAsJavaScriptException();
      return false;
    }
    async_ = std::make_unique<Napi::AsyncContext>(env, resource_name);
    UpdatePin();
    return true;
  }
  bool CheckOpen(Napi::Env env, const char* syscall) {
    if (watcher_ != nullptr) return true;
    ErrnoError(env, EBADF, syscall).ThrowAsJavaScriptException();
    return false;
  }
  int fd() const { return watcher_ != nullptr ? watcher_->fd() : -1; }
  uint8_t* buffer() { return buffer_.data(); }
  size_t buffer_size() const { return buffer_.size(); }

 private:
  Derived* derived() { return static_cast<Derived*>(this); }

  Napi::Value SetReferenced(const Napi::CallbackInfo& info, bool referenced) {
    if (!CheckOpen(info.Env(), referenced ? "ref" : "unref")) return Napi::Value();
    referenced_ = referenced;
    watcher_->SetReferenced(referenced);
    UpdatePin();
    return info.Env().Undefined();
  }

  void UpdatePin() {
    bool want = watcher_ != nullptr && referenced_;
    if (want == pinned_) return;
    pinned_ = want;
    if (want) {
      this->Ref();
    } else {
      this->Unref();
    }
  }

  void OnPollEvent(int status, int /*events*/) override {
    if (status >= 0) {
      Drain(0);
      return;
    }
    // libuv stops the watcher on POLLERR; a transient socket error (e.g. ENETDOWN) is read and cleared here.
    int err = derived()->PendingError();
    if ((err == 0 || Derived::IsTransient(err)) && watcher_->Resume() == 0) {
      Drain(0);
    } else {
      Drain(err != 0 ? err : EIO);
    }
  }

  // The env is ending and the watcher closed itself; its references are the env's to drop now.
  void OnEnvTeardown() override {
    watcher_ = nullptr;
    pinned_ = false;
  }

  // Reads and delivers queued frames, or reports `failure` (an errno) and closes the port.
  void Drain(int failure) {
    Napi::Env env = this->Env();
    Napi::HandleScope scope(env);
    Napi::Object self = this->Value();
    if (self.IsEmpty()) {  // collected, finalizer not run yet
      Shutdown(false);
      return;
    }
    Napi::CallbackScope callback_scope(env, *async_);  // runs microtasks and ticks once JS returns
    if (failure != 0) {
      Fail(env, self, failure);
      return;
    }
    Napi::Value onframe = self.Get("onframe");
    for (int n = 0; n < kMaxFramesPerWakeup && watcher_ != nullptr; ++n) {
      ssize_t length = derived()->ReadFrame();
      if (length == -EAGAIN || length == -EWOULDBLOCK) return;
      if (length < 0) {
        Fail(env, self, static_cast<int>(-length));
        return;
      }
      if (!onframe.IsFunction()) continue;
      Napi::HandleScope frame_scope(env);
      if (!derived()->DeliverFrame(env, self, onframe.As<Napi::Function>(), static_cast<size_t>(length))) {
        RaiseUncaught(env);
        return;
      }
    }
  }

  // A read error that will not go away: close, then tell JS through 'onerror'.
  void Fail(Napi::Env env, Napi::Object self, int err) {
    Shutdown(true);
    Napi::Value onerror = self.Get("onerror");
    if (!onerror.IsFunction()) return;
    onerror.As<Napi::Function>().Call(self, {ErrnoError(env, err, "read").Value()});
    if (env.IsExceptionPending()) RaiseUncaught(env);
  }

  // A JS callback threw: surface it as an uncaught exception, as Node does for its own handles.
  static void RaiseUncaught(Napi::Env env) {
    Napi::Error error = env.GetAndClearPendingException();
    napi_fatal_exception(env, error.Value());
  }

  void Shutdown(bool unpin) {
    if (watcher_ != nullptr) {
      watcher_->Close();
      watcher_ = nullptr;
    }
    if (unpin) UpdatePin();
  }

  std::vector<uint8_t> buffer_;
  std::unique_ptr<Napi::AsyncContext> async_;
  FdWatcher* watcher_ = nullptr;
  bool referenced_ = true;
  bool pinned_ = false;
};

}  // namespace netio
