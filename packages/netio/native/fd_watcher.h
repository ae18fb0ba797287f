// A uv_poll watcher that owns its fd and may be closed at any time, also while the env is torn down (a worker
// ending, the process exiting). Node unloads an addon when its last env goes, so no libuv callback into this
// library may be left pending by then: an async cleanup hook keeps the env waiting until the handle is closed.
#pragma once

#include <node_api.h>
#include <uv.h>

namespace netio {

class FdWatcher {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    // The fd is ready (status 0) or libuv stopped watching on POLLERR (status < 0; see Resume()).
    virtual void OnPollEvent(int status, int events) = 0;
    // The env is ending: the watcher has closed the fd and itself; the owner must forget it.
    virtual void OnEnvTeardown() = 0;
  };

  // Takes ownership of fd and starts watching `events`. On failure closes fd, returns nullptr and sets *error
  // to a negative libuv error.
  static FdWatcher* Start(napi_env env, int fd, int events, Owner* owner, int* error);

  int fd() const { return fd_; }
  void SetReferenced(bool referenced);
  // Watches again after libuv stopped on POLLERR (or Stop()); returns a libuv error (0 on success).
  int Resume();
  // Stops callbacks and keeps the fd open.
  void Stop();
  // Watches other events from now on (0: none, as Stop()); returns a libuv error (0 on success).
  int Watch(int events);
  // Closes the fd and stops callbacks at once; the watcher frees itself once libuv has closed the handle.
  void Close();

 private:
  FdWatcher() = default;
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnClosed(uv_handle_t* handle);
  static void OnTeardown(napi_async_cleanup_hook_handle hook, void* arg);

  uv_poll_t handle_{};
  int fd_ = -1;
  int events_ = 0;
  Owner* owner_ = nullptr;
  napi_async_cleanup_hook_handle hook_ = nullptr;
};

}  // namespace netio
