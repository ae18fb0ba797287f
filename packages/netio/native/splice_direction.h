// One direction of a splice relay: bytes from a source socket into a pipe and from the pipe into a destination
// socket, never through user space. Non-blocking throughout; the caller polls the sockets.
#pragma once

#include <cstddef>
#include <cstdint>

#include "errors.h"

namespace netio {

class SpliceDirection {
 public:
  SpliceDirection() = default;
  SpliceDirection(const SpliceDirection&) = delete;
  SpliceDirection& operator=(const SpliceDirection&) = delete;
  ~SpliceDirection() { Close(); }

  // pipe2(O_NONBLOCK | O_CLOEXEC), then F_SETPIPE_SZ to pipe_bytes, or to what the kernel grants.
  SysResult Open(int pipe_bytes);
  // Moves what the sockets take without blocking (at most a bounded amount per call, so one busy direction
  // cannot hold the loop), and sends shutdown(SHUT_WR) to dst once the source's EOF has been delivered.
  SysResult Pump(int src, int dst);
  void Close();

  // Poll the source for input: nothing is held back in the pipe.
  bool WantsRead() const { return !eof_ && buffered_ == 0; }
  // Poll the destination for room: the pipe holds bytes it did not take yet.
  bool WantsWrite() const { return buffered_ > 0; }
  bool eof() const { return eof_; }
  // EOF read and delivered, destination shut down for writing: this direction is over.
  bool done() const { return shut_; }
  uint64_t delivered() const { return delivered_; }

 private:
  int pipe_read_ = -1;
  int pipe_write_ = -1;
  size_t capacity_ = 0;
  size_t buffered_ = 0;
  uint64_t delivered_ = 0;
  bool eof_ = false;
  bool shut_ = false;
};

}  // namespace netio
