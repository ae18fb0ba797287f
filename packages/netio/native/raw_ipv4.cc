#include "raw_ipv4.h"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "errors.h"

namespace netio {

Napi::Value SendIpv4(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t fd = -1;
  const uint8_t* packet = nullptr;
  size_t length = 0;
  if (!ArgInt(info, 0, "fd", 0, INT32_MAX, &fd) || !ArgBytes(info, 1, "packet", &packet, &length)) {
    return Napi::Value();
  }
  if (length < sizeof(iphdr) || (packet[0] >> 4) != 4) {
    ThrowArgument(env, "packet must start with an IPv4 header");
    return Napi::Value();
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  std::memcpy(&to.sin_addr, packet + offsetof(iphdr, daddr), sizeof to.sin_addr);
  ssize_t sent = sendto(static_cast<int>(fd), packet, length, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&to),
                        sizeof to);
  if (sent < 0) {
    ErrnoError(env, errno, "sendto").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  return Napi::Number::New(env, static_cast<double>(sent));
}

}  // namespace netio
