#include "lifeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "errors.h"

namespace netio {

Napi::Function HangupWatch::Init(Napi::Env env) {
  return DefineClass(env, "HangupWatch", {InstanceMethod<&HangupWatch::Close>("close")});
}

HangupWatch::HangupWatch(const Napi::CallbackInfo& info) : Napi::ObjectWrap<HangupWatch>(info) {
  Napi::Env env = info.Env();
  int64_t fd = 0;
  if (!ArgInt(info, 0, "fd", 0, INT32_MAX, &fd)) return;
  int flags = fcntl(static_cast<int>(fd), F_GETFL);
  if (flags < 0 || fcntl(static_cast<int>(fd), F_SETFL, flags | O_NONBLOCK) < 0) {
    ErrnoError(env, errno, "fcntl").ThrowAsJavaScriptException();
    return;
  }
  // A pipe's write end reports POLLERR when the last reader goes; a read end or a socket reports HUP/RDHUP,
  // which libuv delivers as readable or disconnect.
  int error = 0;
  watcher_ = FdWatcher::Start(env, static_cast<int>(fd), UV_READABLE | UV_DISCONNECT, this, &error);
  if (watcher_ == nullptr) {
    ErrnoError(env, -error, "uv_poll_start").ThrowAsJavaScriptException();
    return;
  }
  // A lifeline alone does not keep the process alive, but keeps its wrapper alive while it watches.
  watcher_->SetReferenced(false);
  async_ = std::make_unique<Napi::AsyncContext>(env, "netio.HangupWatch");
  Ref();
  pinned_ = true;
}

HangupWatch::~HangupWatch() { Shutdown(); }

Napi::Value HangupWatch::Close(const Napi::CallbackInfo& info) {
  if (watcher_ == nullptr) {
    ErrnoError(info.Env(), EBADF, "close").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Shutdown();
  return info.Env().Undefined();
}

bool HangupWatch::PeerGone(int status, int events) {
  if (status < 0 || (events & UV_DISCONNECT) != 0) return true;
  char buffer[4096];
  for (;;) {
    ssize_t n = read(watcher_->fd(), buffer, sizeof buffer);
    if (n == 0) return true;  // EOF: every writer is gone
    if (n > 0) continue;      // the client wrote into its lifeline; nothing to do with it
    return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
  }
}

void HangupWatch::OnPollEvent(int status, int events) {
  if (PeerGone(status, events)) Fire();
}

// The env is ending and the watcher closed itself; its references are the env's to drop now.
void HangupWatch::OnEnvTeardown() {
  watcher_ = nullptr;
  pinned_ = false;
}

void HangupWatch::Fire() {
  watcher_->Stop();  // once; the fd stays open until close()
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  Napi::Object self = Value();
  if (pinned_) {
    pinned_ = false;
    Unref();
  }
  if (self.IsEmpty()) return;
  Napi::Value onhangup = self.Get("onhangup");
  if (onhangup.IsFunction()) onhangup.As<Napi::Function>().MakeCallback(self, {}, *async_);
}

void HangupWatch::Shutdown() {
  if (watcher_ != nullptr) {
    watcher_->Close();
    watcher_ = nullptr;
  }
  if (pinned_) {
    pinned_ = false;
    Unref();
  }
}

Napi::Value CreatePipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ErrnoError(env, errno, "pipe2").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, fds[0]);
  out.Set(1u, fds[1]);
  return out;
}

}  // namespace netio
