#include "packet_socket.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#include <climits>
#include <cstring>

#include "netns.h"
#include "sockopt.h"

namespace netio {

namespace {

constexpr size_t kBpfInstructionSize = sizeof(sock_filter);

struct PacketSocketSpec {
  int type = SOCK_RAW;
  int protocol = 0;
  const uint8_t* filter = nullptr;
  size_t filter_length = 0;
  InterfaceRef iface;
  std::string netns;
};

bool ReadSpec(const Napi::CallbackInfo& info, PacketSocketSpec* spec) {
  int64_t type = 0, protocol = 0;
  if (!ArgInt(info, 0, "type", SOCK_DGRAM, SOCK_RAW, &type) ||
      !ArgInt(info, 1, "protocol", 0, 0xffff, &protocol)) {
    return false;
  }
  spec->type = static_cast<int>(type);
  spec->protocol = static_cast<int>(protocol);
  if (!IsAbsent(info[2])) {
    if (!ArgBytes(info, 2, "filter", &spec->filter, &spec->filter_length)) return false;
    size_t count = spec->filter_length / kBpfInstructionSize;
    if (spec->filter_length % kBpfInstructionSize != 0 || count == 0 || count > BPF_MAXINSNS) {
      ThrowArgument(info.Env(), "filter must hold 1 to 4096 sock_filter entries of 8 bytes");
      return false;
    }
  }
  return ArgInterface(info, 3, "iface", &spec->iface) &&
         ArgString(info, 4, "netns", PATH_MAX, true, &spec->netns);
}

// Opens with protocol 0 so nothing is queued before the filter is attached, then binds to the protocol.
SysResult OpenPacketSocket(const PacketSocketSpec& spec, int* fd, int* ifindex) {
  SysResult result = RunInNetns(spec.netns, [&]() {
    *fd = socket(AF_PACKET, spec.type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    return *fd < 0 ? SysResult::Fail("socket", errno) : SysResult{};
  });
  if (!result.ok()) return result;
  if (spec.filter != nullptr) {
    // The kernel copies the program during setsockopt, so pointing into the JS buffer is safe.
    sock_fprog program{static_cast<unsigned short>(spec.filter_length / kBpfInstructionSize),
                       reinterpret_cast<sock_filter*>(const_cast<uint8_t*>(spec.filter))};
    if (setsockopt(*fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) != 0) {
      return CloseOnFailure(*fd, SysResult::Fail("setsockopt(SO_ATTACH_FILTER)", errno));
    }
  }
  result = ResolveInterface(*fd, spec.iface, ifindex);
  if (!result.ok()) return CloseOnFailure(*fd, result);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(static_cast<uint16_t>(spec.protocol));
  address.sll_ifindex = *ifindex;
  if (bind(*fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return CloseOnFailure(*fd, SysResult::Fail("bind", errno));
  }
  return SysResult{};
}

}  // namespace

Napi::Function PacketSocket::Init(Napi::Env env) {
  return DefineClass(env, "PacketSocket",
                     {
                         InstanceMethod("send", &PacketSocket::Send),
                         InstanceMethod("stats", &PacketSocket::Stats),
                         InstanceMethod("close", &PacketSocket::Close),
                         InstanceMethod("ref", &PacketSocket::RefPort),
                         InstanceMethod("unref", &PacketSocket::UnrefPort),
                         InstanceAccessor("fd", &PacketSocket::Fd, nullptr),
                         InstanceAccessor("ifindex", &PacketSocket::Ifindex, nullptr),
                     });
}

PacketSocket::PacketSocket(const Napi::CallbackInfo& info) : FramePort<PacketSocket>(info) {
  PacketSocketSpec spec;
  if (!ReadSpec(info, &spec)) return;
  int fd = -1;
  if (!CheckSys(info.Env(), OpenPacketSocket(spec, &fd, &ifindex_))) return;
  Start(info.Env(), fd, "netio.PacketSocket");
}

ssize_t PacketSocket::ReadFrame() {
  for (;;) {
    socklen_t address_length = sizeof from_;
    ssize_t length = recvfrom(fd(), buffer(), buffer_size(), MSG_TRUNC, reinterpret_cast<sockaddr*>(&from_),
                              &address_length);
    if (length > static_cast<ssize_t>(buffer_size())) {
      ++truncated_;  // larger than any frame we expect: counted and dropped
      continue;
    }
    if (length >= 0) return length;
    if (errno != EINTR && !IsTransient(errno)) return -errno;
  }
}

int PacketSocket::PendingError() {
  int err = 0;
  socklen_t length = sizeof err;
  if (getsockopt(fd(), SOL_SOCKET, SO_ERROR, &err, &length) != 0) return errno;
  return err;
}

// The bound device went down (or a buffer ran short): the socket stays usable.
bool PacketSocket::IsTransient(int err) { return err == ENETDOWN || err == ENOBUFS; }

bool PacketSocket::DeliverFrame(Napi::Env env, Napi::Object self, Napi::Function onframe, size_t length) {
  size_t mac_length = from_.sll_halen <= sizeof from_.sll_addr ? from_.sll_halen : sizeof from_.sll_addr;
  onframe.Call(self, {
                         Napi::Buffer<uint8_t>::Copy(env, buffer(), length),
                         Napi::Number::New(env, from_.sll_ifindex),
                         Napi::Number::New(env, from_.sll_pkttype),
                         Napi::Number::New(env, ntohs(from_.sll_protocol)),
                         Napi::Buffer<uint8_t>::Copy(env, from_.sll_addr, mac_length),
                     });
  return !env.IsExceptionPending();
}

Napi::Value PacketSocket::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint8_t* frame = nullptr;
  const uint8_t* mac = nullptr;
  size_t frame_length = 0, mac_length = 0;
  int64_t ifindex = 0, protocol = 0;
  if (!ArgBytes(info, 0, "frame", &frame, &frame_length) ||
      !ArgInt(info, 1, "ifindex", 0, INT32_MAX, &ifindex) ||
      (!IsAbsent(info[2]) && !ArgBytes(info, 2, "mac", &mac, &mac_length)) ||
      !ArgInt(info, 3, "protocol", 0, 0xffff, &protocol)) {
    return Napi::Value();
  }
  sockaddr_ll to{};
  if (mac_length > sizeof to.sll_addr) {
    ThrowArgument(env, "mac must be at most 8 bytes");
    return Napi::Value();
  }
  if (!CheckOpen(env, "sendto")) return Napi::Value();
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(static_cast<uint16_t>(protocol));
  to.sll_ifindex = static_cast<int>(ifindex);
  to.sll_halen = static_cast<unsigned char>(mac_length);
  if (mac_length > 0) std::memcpy(to.sll_addr, mac, mac_length);
  ssize_t sent = sendto(fd(), frame, frame_length, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  if (sent < 0) {
    ErrnoError(env, errno, "sendto").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  return Napi::Number::New(env, static_cast<double>(sent));
}

Napi::Value PacketSocket::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env, "getsockopt")) return Napi::Value();
  tpacket_stats stats{};
  socklen_t length = sizeof stats;
  if (getsockopt(fd(), SOL_PACKET, PACKET_STATISTICS, &stats, &length) != 0) {
    ErrnoError(env, errno, "getsockopt(PACKET_STATISTICS)").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("packets", Napi::Number::New(env, stats.tp_packets));
  result.Set("drops", Napi::Number::New(env, stats.tp_drops));
  result.Set("truncated", Napi::Number::New(env, truncated_));
  truncated_ = 0;
  return result;
}

Napi::Value PacketSocket::Ifindex(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), ifindex_); }

}  // namespace netio
