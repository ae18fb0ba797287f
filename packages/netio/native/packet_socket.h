// AF_PACKET sockets: classic-BPF filter attached before bind, evented receive, sendto(sockaddr_ll).
#pragma once

#include <linux/if_packet.h>
#include <napi.h>

#include <cstdint>

#include "frame_port.h"

namespace netio {

class PacketSocket : public FramePort<PacketSocket> {
 public:
  static Napi::Function Init(Napi::Env env);
  // JS: new PacketSocket(type, protocol, filter | null, iface (index or name; 0 = all), netns | null)
  explicit PacketSocket(const Napi::CallbackInfo& info);

  ssize_t ReadFrame();
  int PendingError();
  static bool IsTransient(int err);
  bool DeliverFrame(Napi::Env env, Napi::Object self, Napi::Function onframe, size_t length);

 private:
  // JS: send(frame, ifindex, mac | null, protocol) -> bytes sent
  Napi::Value Send(const Napi::CallbackInfo& info);
  // JS: stats() -> { packets, drops, truncated }; the kernel resets its counters on each read.
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Ifindex(const Napi::CallbackInfo& info);

  sockaddr_ll from_{};
  int ifindex_ = 0;
  double truncated_ = 0;
};

}  // namespace netio
