#include "splice_direction.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace netio {

namespace {

constexpr unsigned kSpliceFlags = SPLICE_F_NONBLOCK | SPLICE_F_MOVE;
// Bytes delivered per Pump() at most; the poll is level-triggered, so the rest moves on the next loop turn.
constexpr size_t kMaxBytesPerPump = 16 << 20;

// /proc/sys/fs/pipe-max-size, or 0 when unreadable (a jail without /proc).
int PipeMaxSize() {
  FILE* file = std::fopen("/proc/sys/fs/pipe-max-size", "re");
  if (file == nullptr) return 0;
  int size = 0;
  if (std::fscanf(file, "%d", &size) != 1) size = 0;
  std::fclose(file);
  return size;
}

// EINTR and EAGAIN both mean "poll again": the poll is level-triggered, so nothing is missed.
bool WouldBlock(int err) { return err == EAGAIN || err == EWOULDBLOCK || err == EINTR; }

}  // namespace

SysResult SpliceDirection::Open(int pipe_bytes) {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return SysResult::Fail("pipe2", errno);
  pipe_read_ = fds[0];
  pipe_write_ = fds[1];
  // Without CAP_SYS_RESOURCE, a size above pipe-max-size (or beyond the user's pipe budget) is refused: take
  // the largest size allowed, else keep the default.
  if (fcntl(pipe_write_, F_SETPIPE_SZ, pipe_bytes) < 0) {
    int max_size = PipeMaxSize();
    if (max_size > 0 && max_size < pipe_bytes) fcntl(pipe_write_, F_SETPIPE_SZ, max_size);
  }
  int size = fcntl(pipe_write_, F_GETPIPE_SZ);
  if (size <= 0) {
    int err = errno;
    Close();
    return SysResult::Fail("fcntl(F_GETPIPE_SZ)", err);
  }
  capacity_ = static_cast<size_t>(size);
  return SysResult{};
}

SysResult SpliceDirection::Pump(int src, int dst) {
  size_t moved = 0;
  bool progress = true;
  while (progress && moved < kMaxBytesPerPump) {
    progress = false;
    if (buffered_ > 0) {
      ssize_t n = splice(pipe_read_, nullptr, dst, nullptr, buffered_, kSpliceFlags);
      if (n > 0) {
        buffered_ -= static_cast<size_t>(n);
        delivered_ += static_cast<uint64_t>(n);
        moved += static_cast<size_t>(n);
        progress = true;
      } else if (n < 0 && !WouldBlock(errno)) {
        return SysResult::Fail("splice", errno);
      }
    }
    // Filling goes on while dst is blocked, up to the pipe's capacity; EAGAIN then means the pipe is full
    // (counted in slots, not bytes) or the source is empty, and either way dst must drain first.
    if (!eof_) {
      ssize_t n = splice(src, nullptr, pipe_write_, nullptr, capacity_, kSpliceFlags);
      if (n > 0) {
        buffered_ += static_cast<size_t>(n);
        progress = true;
      } else if (n == 0) {
        eof_ = true;
      } else if (!WouldBlock(errno)) {
        return SysResult::Fail("splice", errno);
      }
    }
  }
  if (eof_ && buffered_ == 0 && !shut_) {
    if (shutdown(dst, SHUT_WR) != 0) return SysResult::Fail("shutdown", errno);
    shut_ = true;
  }
  return SysResult{};
}

void SpliceDirection::Close() {
  for (int* fd : {&pipe_read_, &pipe_write_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

}  // namespace netio
