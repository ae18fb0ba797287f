#include "fd_watcher.h"

#include <unistd.h>

#include <cerrno>

namespace netio {

FdWatcher* FdWatcher::Start(napi_env env, int fd, int events, Owner* owner, int* error) {
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    close(fd);
    *error = UV_EINVAL;
    return nullptr;
  }
  auto* watcher = new FdWatcher();
  watcher->fd_ = fd;
  watcher->events_ = events;
  *error = uv_poll_init(loop, &watcher->handle_, fd);
  if (*error != 0) {
    close(fd);
    delete watcher;  // never registered with the loop
    return nullptr;
  }
  watcher->handle_.data = watcher;
  if (napi_add_async_cleanup_hook(env, OnTeardown, watcher, &watcher->hook_) != napi_ok) {
    watcher->hook_ = nullptr;
    *error = UV_EINVAL;
  } else {
    *error = uv_poll_start(&watcher->handle_, events, OnPoll);
  }
  if (*error != 0) {
    watcher->Close();
    return nullptr;
  }
  watcher->owner_ = owner;
  return watcher;
}

void FdWatcher::SetReferenced(bool referenced) {
  if (referenced) {
    uv_ref(reinterpret_cast<uv_handle_t*>(&handle_));
  } else {
    uv_unref(reinterpret_cast<uv_handle_t*>(&handle_));
  }
}

int FdWatcher::Resume() { return uv_poll_start(&handle_, events_, OnPoll); }

void FdWatcher::Stop() { uv_poll_stop(&handle_); }

int FdWatcher::Watch(int events) {
  events_ = events;
  if (events == 0) {
    Stop();
    return 0;
  }
  return Resume();
}

void FdWatcher::Close() {
  owner_ = nullptr;
  if (fd_ < 0) return;  // already closing
  // uv_close removes the fd from epoll at once, so closing the fd right after is safe.
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_), OnClosed);
  close(fd_);
  fd_ = -1;
}

void FdWatcher::OnPoll(uv_poll_t* handle, int status, int events) {
  auto* watcher = static_cast<FdWatcher*>(handle->data);
  if (watcher->owner_ != nullptr) watcher->owner_->OnPollEvent(status, events);
}

void FdWatcher::OnClosed(uv_handle_t* handle) {
  auto* watcher = static_cast<FdWatcher*>(handle->data);
  // Removing the hook also ends the env's wait when the teardown had already started it.
  if (watcher->hook_ != nullptr) napi_remove_async_cleanup_hook(watcher->hook_);
  delete watcher;
}

void FdWatcher::OnTeardown(napi_async_cleanup_hook_handle /*hook*/, void* arg) {
  auto* watcher = static_cast<FdWatcher*>(arg);
  Owner* owner = watcher->owner_;
  watcher->Close();  // a close already under way finishes through OnClosed all the same
  if (owner != nullptr) owner->OnEnvTeardown();
}

}  // namespace netio
