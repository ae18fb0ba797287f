// A relay between two connected stream sockets that keeps the bytes in the kernel: one pipe per direction and
// non-blocking splice(2) in and out of it, driven by one uv_poll watcher per socket on the libuv loop.
#pragma once

#include <napi.h>

#include <memory>

#include "fd_watcher.h"
#include "splice_direction.h"

namespace netio {

class SpliceRelay : public Napi::ObjectWrap<SpliceRelay> {
 public:
  static Napi::Function Init(Napi::Env env);
  // JS: new SpliceRelay(fdA, fdB, pipeBytes) — relays between duplicates of fdA and fdB (the caller's fds stay
  // open and its own); calls this.onclose(aToB, bToA, error | null) once when the relay ends.
  explicit SpliceRelay(const Napi::CallbackInfo& info);
  ~SpliceRelay() override;

 private:
  // A socket of the relay. Watcher events do not say which watcher fired, hence an owner per side.
  struct Side : FdWatcher::Owner {
    SpliceRelay* relay = nullptr;
    int index = 0;
    FdWatcher* watcher = nullptr;
    int events = 0;         // what the watcher polls for; -1 after libuv stopped it on POLLERR
    bool hung_up = false;   // POLLHUP without an error: no longer watched for one
    void OnPollEvent(int status, int events) override { relay->OnSideEvent(index, status, events); }
    void OnEnvTeardown() override { relay->OnEnvTeardown(index); }
  };

  // JS: close() — resets both sockets now and calls onclose (error null); a no-op once ended.
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value RefRelay(const Napi::CallbackInfo& info);
  Napi::Value UnrefRelay(const Napi::CallbackInfo& info);

  bool Start(Napi::Env env, int fd_a, int fd_b, int pipe_bytes);
  void OnSideEvent(int index, int status, int events);
  void OnEnvTeardown(int index);
  SysResult Watch(int index);
  // Closes both sockets (with a reset when `reset`: SO_LINGER {1, 0}) and both pipes.
  void CloseAll(bool reset);
  // Lets the wrapper be collected.
  void Unpin();
  // Ends the relay from a loop callback: CloseAll, Unpin, then onclose with `failure` (ok: ended by EOF both ways).
  void Finish(const SysResult& failure);

  Side sides_[2];
  // directions_[i] carries bytes from sides_[i] to sides_[1 - i].
  SpliceDirection directions_[2];
  bool open_ = false;
  bool pinned_ = false;
  std::unique_ptr<Napi::AsyncContext> async_;
};

}  // namespace netio
