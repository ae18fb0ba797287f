#include "udp.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>
#include <string>

#include "errors.h"
#include "sockopt.h"

namespace netio {

namespace {

constexpr size_t kMaxAddressLength = INET6_ADDRSTRLEN;

bool ArgFamily(const Napi::CallbackInfo& info, size_t index, int* family) {
  Napi::Value value = info[index];
  double number = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : 0;
  if (number == 4 || number == 6) {
    *family = number == 4 ? AF_INET : AF_INET6;
    return true;
  }
  ThrowArgument(info.Env(), "family must be 4 or 6");
  return false;
}

// inet_pton into dst (4 or 16 bytes); throws on a malformed address.
bool ParseAddress(Napi::Env env, int family, const std::string& text, void* dst) {
  if (inet_pton(family, text.c_str(), dst) == 1) return true;
  ThrowArgument(env, "not an IPv" + std::string(family == AF_INET ? "4" : "6") + " address: " + text);
  return false;
}

bool ArgFd(const Napi::CallbackInfo& info, int* fd) {
  int64_t value = 0;
  if (!ArgInt(info, 0, "fd", 0, INT32_MAX, &value)) return false;
  *fd = static_cast<int>(value);
  return true;
}

}  // namespace

Napi::Value SetIntOptionJs(const Napi::CallbackInfo& info) {
  int fd = -1;
  int64_t level = 0, name = 0, value = 0;
  if (!ArgFd(info, &fd) || !ArgInt(info, 1, "level", 0, INT32_MAX, &level) ||
      !ArgInt(info, 2, "name", 0, INT32_MAX, &name) || !ArgInt(info, 3, "value", INT32_MIN, INT32_MAX, &value)) {
    return Napi::Value();
  }
  SysResult result =
      SetIntOption(fd, static_cast<int>(level), static_cast<int>(name), static_cast<int>(value));
  if (!CheckSys(info.Env(), result)) return Napi::Value();
  return info.Env().Undefined();
}

Napi::Value BindToDeviceJs(const Napi::CallbackInfo& info) {
  int fd = -1;
  std::string device;
  if (!ArgFd(info, &fd) || !ArgString(info, 1, "device", IFNAMSIZ - 1, true, &device)) return Napi::Value();
  if (!CheckSys(info.Env(), BindToDevice(fd, device))) return Napi::Value();
  return info.Env().Undefined();
}

Napi::Value BindAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1, family = 0;
  std::string text;
  int64_t port = 0;
  if (!ArgFd(info, &fd) || !ArgFamily(info, 1, &family) ||
      !ArgString(info, 2, "address", kMaxAddressLength, false, &text) ||
      !ArgInt(info, 3, "port", 0, 65535, &port)) {
    return Napi::Value();
  }
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (family == AF_INET) {
    auto* address = reinterpret_cast<sockaddr_in*>(&storage);
    address->sin_family = AF_INET;
    address->sin_port = htons(static_cast<uint16_t>(port));
    if (!ParseAddress(env, family, text, &address->sin_addr)) return Napi::Value();
    length = sizeof *address;
  } else {
    auto* address = reinterpret_cast<sockaddr_in6*>(&storage);
    address->sin6_family = AF_INET6;
    address->sin6_port = htons(static_cast<uint16_t>(port));
    if (!ParseAddress(env, family, text, &address->sin6_addr)) return Napi::Value();
    length = sizeof *address;
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    ErrnoError(env, errno, "bind").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  return env.Undefined();
}

Napi::Value SetMembership(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = -1, family = 0, ifindex = 0;
  std::string group;
  InterfaceRef iface;
  bool join = true;
  if (!ArgFd(info, &fd) || !ArgFamily(info, 1, &family) ||
      !ArgString(info, 2, "group", kMaxAddressLength, false, &group) ||
      !ArgInterface(info, 3, "iface", &iface) || !ArgBool(info, 4, "join", &join)) {
    return Napi::Value();
  }
  if (!CheckSys(env, ResolveInterface(fd, iface, &ifindex))) return Napi::Value();
  int rc = 0;
  if (family == AF_INET) {
    ip_mreqn request{};
    if (!ParseAddress(env, family, group, &request.imr_multiaddr)) return Napi::Value();
    request.imr_ifindex = ifindex;
    rc = setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &request, sizeof request);
  } else {
    ipv6_mreq request{};
    if (!ParseAddress(env, family, group, &request.ipv6mr_multiaddr)) return Napi::Value();
    request.ipv6mr_interface = static_cast<unsigned>(ifindex);
    rc = setsockopt(fd, IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &request, sizeof request);
  }
  if (rc != 0) {
    ErrnoError(env, errno, join ? "setsockopt(join group)" : "setsockopt(leave group)").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  return env.Undefined();
}

}  // namespace netio
