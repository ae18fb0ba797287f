// Lifelines: a client hands the daemon one end of a pipe or socket, and the daemon must learn at once when the
// other end goes away (closed, or its process died). Node can watch neither a pipe's write end nor an
// arbitrary fd for hang-up, so this watches the fd with uv_poll and calls back once.
#pragma once

#include <napi.h>
#include <uv.h>

#include <memory>

#include "fd_watcher.h"

namespace netio {

class HangupWatch : public Napi::ObjectWrap<HangupWatch>, private FdWatcher::Owner {
 public:
  static Napi::Function Init(Napi::Env env);
  // JS: new HangupWatch(fd) — takes ownership of fd; calls this.onhangup() once when the peer is gone.
  explicit HangupWatch(const Napi::CallbackInfo& info);
  ~HangupWatch() override;

 private:
  Napi::Value Close(const Napi::CallbackInfo& info);
  void OnPollEvent(int status, int events) override;
  void OnEnvTeardown() override;
  // True when the peer is gone; drains whatever the client wrote into a readable lifeline.
  bool PeerGone(int status, int events);
  void Fire();
  void Shutdown();

  FdWatcher* watcher_ = nullptr;
  bool pinned_ = false;
  std::unique_ptr<Napi::AsyncContext> async_;
};

// JS: createPipe() -> [readFd, writeFd], both O_CLOEXEC (what a ChromeOS client makes for ConnectNamespace).
Napi::Value CreatePipe(const Napi::CallbackInfo& info);

}  // namespace netio
