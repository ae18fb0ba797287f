#include "splice_relay.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "errors.h"
#include "sockopt.h"

namespace netio {

namespace {

constexpr int64_t kMinPipeBytes = 4096;
constexpr int64_t kMaxPipeBytes = 1 << 30;

bool ArgStreamSocket(const Napi::CallbackInfo& info, size_t index, const char* name, int* fd) {
  int64_t value = 0;
  if (!ArgInt(info, index, name, 0, INT32_MAX, &value)) return false;
  *fd = static_cast<int>(value);
  int type = 0;
  socklen_t length = sizeof type;
  if (getsockopt(*fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0) {
    ErrnoError(info.Env(), errno, "getsockopt(SO_TYPE)").ThrowAsJavaScriptException();
    return false;
  }
  if (type == SOCK_STREAM) return true;
  ThrowArgument(info.Env(), std::string(name) + " must be a stream socket");
  return false;
}

// A close-on-exec, non-blocking duplicate: the relay's own reference to the socket.
SysResult DupSocket(int fd, int* out) {
  *out = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (*out < 0) return SysResult::Fail("fcntl(F_DUPFD_CLOEXEC)", errno);
  int flags = fcntl(*out, F_GETFL);
  if (flags < 0 || fcntl(*out, F_SETFL, flags | O_NONBLOCK) != 0) {
    SysResult failure = CloseOnFailure(*out, SysResult::Fail("fcntl(F_SETFL)", errno));
    *out = -1;
    return failure;
  }
  return SysResult{};
}

int SocketError(int fd) {
  int err = 0;
  socklen_t length = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &length) != 0) return errno;
  return err;
}

// SO_LINGER {1, 0}: close() then sends a TCP RST instead of a FIN. Unix sockets have no reset; closing is all.
void ResetOnClose(int fd) {
  linger option{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
}

}  // namespace

Napi::Function SpliceRelay::Init(Napi::Env env) {
  return DefineClass(env, "SpliceRelay",
                     {
                         InstanceMethod<&SpliceRelay::Close>("close"),
                         InstanceMethod<&SpliceRelay::RefRelay>("ref"),
                         InstanceMethod<&SpliceRelay::UnrefRelay>("unref"),
                     });
}

SpliceRelay::SpliceRelay(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SpliceRelay>(info) {
  Napi::Env env = info.Env();
  int fd_a = -1, fd_b = -1;
  int64_t pipe_bytes = 0;
  if (!ArgStreamSocket(info, 0, "fdA", &fd_a) || !ArgStreamSocket(info, 1, "fdB", &fd_b) ||
      !ArgInt(info, 2, "pipeBytes", kMinPipeBytes, kMaxPipeBytes, &pipe_bytes)) {
    return;
  }
  if (fd_a == fd_b) {
    ThrowArgument(env, "fdA and fdB must be two sockets");
    return;
  }
  if (!Start(env, fd_a, fd_b, static_cast<int>(pipe_bytes))) return;
  async_ = std::make_unique<Napi::AsyncContext>(env, "netio.SpliceRelay");
  // Pinned while open whatever ref() says: collecting an unreachable relay would cut a live connection.
  Ref();
  pinned_ = true;
}

SpliceRelay::~SpliceRelay() { CloseAll(false); }

bool SpliceRelay::Start(Napi::Env env, int fd_a, int fd_b, int pipe_bytes) {
  int dups[2] = {-1, -1};
  SysResult result = DupSocket(fd_a, &dups[0]);
  if (result.ok()) result = DupSocket(fd_b, &dups[1]);
  for (SpliceDirection& direction : directions_) {
    if (result.ok()) result = direction.Open(pipe_bytes);
  }
  for (int i = 0; i < 2 && result.ok(); ++i) {
    sides_[i].relay = this;
    sides_[i].index = i;
    sides_[i].events = UV_READABLE;
    int error = 0;
    sides_[i].watcher = FdWatcher::Start(env, dups[i], UV_READABLE, &sides_[i], &error);
    dups[i] = -1;  // the watcher owns it, or closed it on failure
    if (sides_[i].watcher == nullptr) result = SysResult::Fail("uv_poll_start", -error);
  }
  if (result.ok()) {
    open_ = true;
    return true;
  }
  for (int fd : dups) {
    if (fd >= 0) close(fd);
  }
  CloseAll(false);
  return CheckSys(env, result);
}

Napi::Value SpliceRelay::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!open_) return env.Undefined();
  Napi::Number a_to_b = Napi::Number::New(env, static_cast<double>(directions_[0].delivered()));
  Napi::Number b_to_a = Napi::Number::New(env, static_cast<double>(directions_[1].delivered()));
  CloseAll(true);
  Unpin();
  Napi::Value onclose = Value().Get("onclose");
  if (onclose.IsFunction()) onclose.As<Napi::Function>().Call(Value(), {a_to_b, b_to_a, env.Null()});
  return env.Undefined();
}

Napi::Value SpliceRelay::RefRelay(const Napi::CallbackInfo& info) {
  for (Side& side : sides_) {
    if (side.watcher != nullptr) side.watcher->SetReferenced(true);
  }
  return info.Env().Undefined();
}

Napi::Value SpliceRelay::UnrefRelay(const Napi::CallbackInfo& info) {
  for (Side& side : sides_) {
    if (side.watcher != nullptr) side.watcher->SetReferenced(false);
  }
  return info.Env().Undefined();
}

void SpliceRelay::OnSideEvent(int index, int status, int events) {
  Side& side = sides_[index];
  int fd = side.watcher->fd();
  int peer_fd = sides_[1 - index].watcher->fd();
  // POLLERR (libuv stops the watcher and reports a status < 0), or POLLHUP on a side watched for errors only.
  if (status < 0 || (events & UV_PRIORITIZED) != 0) {
    int err = SocketError(fd);
    if (err != 0) {
      Finish(SysResult::Fail("poll", err));
      return;
    }
    if ((events & UV_PRIORITIZED) != 0) side.hung_up = true;
    if (status < 0) {
      events = side.events;  // no error after all: the I/O below finds out what happened
      side.events = -1;      // so that Watch() starts the watcher again
    }
  }
  SysResult result;
  if ((events & UV_READABLE) != 0) result = directions_[index].Pump(fd, peer_fd);
  if (result.ok() && (events & UV_WRITABLE) != 0) result = directions_[1 - index].Pump(peer_fd, fd);
  if (result.ok() && directions_[0].done() && directions_[1].done()) {
    Finish(SysResult{});
    return;
  }
  for (int i = 0; i < 2 && result.ok(); ++i) result = Watch(i);
  if (!result.ok()) Finish(result);
}

SysResult SpliceRelay::Watch(int index) {
  Side& side = sides_[index];
  int events = 0;
  if (directions_[index].WantsRead()) events |= UV_READABLE;
  if (directions_[1 - index].WantsWrite()) events |= UV_WRITABLE;
  // A side that will send nothing more is still watched for a reset: epoll reports POLLERR whatever the mask,
  // but only for a registered fd. (No urgent data can follow its EOF, so POLLPRI itself never fires.)
  if (events == 0 && directions_[index].eof() && !side.hung_up) events = UV_PRIORITIZED;
  if (events == side.events) return SysResult{};
  int error = side.watcher->Watch(events);
  if (error != 0) return SysResult::Fail("uv_poll_start", -error);
  side.events = events;
  return SysResult{};
}

// The env is ending and this side's watcher closed itself; nothing may call into JS any more.
void SpliceRelay::OnEnvTeardown(int index) {
  sides_[index].watcher = nullptr;
  CloseAll(false);
  pinned_ = false;  // the env drops its references itself
}

void SpliceRelay::CloseAll(bool reset) {
  for (Side& side : sides_) {
    if (side.watcher == nullptr) continue;
    if (reset) ResetOnClose(side.watcher->fd());
    side.watcher->Close();
    side.watcher = nullptr;
  }
  for (SpliceDirection& direction : directions_) direction.Close();
  open_ = false;
}

void SpliceRelay::Unpin() {
  if (!pinned_) return;
  pinned_ = false;
  Unref();
}

void SpliceRelay::Finish(const SysResult& failure) {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  double a_to_b = static_cast<double>(directions_[0].delivered());
  double b_to_a = static_cast<double>(directions_[1].delivered());
  CloseAll(!failure.ok());
  Napi::Object self = Value();
  Unpin();
  if (self.IsEmpty()) return;
  Napi::Value onclose = self.Get("onclose");
  if (!onclose.IsFunction()) return;
  Napi::Value error = failure.ok() ? env.Null() : ErrnoError(env, failure.err, failure.syscall).Value();
  onclose.As<Napi::Function>().MakeCallback(
      self, {Napi::Number::New(env, a_to_b), Napi::Number::New(env, b_to_a), error}, *async_);
  // A listener threw: surface it as an uncaught exception, as Node does for its own handles.
  if (env.IsExceptionPending()) napi_fatal_exception(env, env.GetAndClearPendingException().Value());
}

}  // namespace netio
