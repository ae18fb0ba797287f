#include "tap.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <climits>
#include <cstring>

#include "netns.h"
#include "sockopt.h"

namespace netio {

namespace {

constexpr const char* kTunDevice = "/dev/net/tun";

ifreq TapRequest(const std::string& name, short extra_flags) {
  ifreq request;
  std::memset(&request, 0, sizeof request);
  std::strncpy(request.ifr_name, name.c_str(), IFNAMSIZ - 1);
  request.ifr_flags = static_cast<short>(IFF_TAP | IFF_NO_PI | extra_flags);
  return request;
}

// TUNSETIFF creates a device whose name is free, so attaching to an existing one first checks that it is there.
SysResult CheckExists(const std::string& name) {
  int probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return SysResult::Fail("socket", errno);
  int ifindex = 0;
  SysResult result = ResolveInterface(probe, InterfaceRef{0, name}, &ifindex);
  close(probe);
  return result;
}

// Opens /dev/net/tun in the current thread's namespace and attaches it with TUNSETIFF.
SysResult AttachTap(ifreq* request, int open_flags, int* fd) {
  *fd = open(kTunDevice, O_RDWR | O_CLOEXEC | open_flags);
  if (*fd < 0) return SysResult::Fail("open(/dev/net/tun)", errno);
  if (ioctl(*fd, TUNSETIFF, request) != 0) return CloseOnFailure(*fd, SysResult::Fail("ioctl(TUNSETIFF)", errno));
  return SysResult{};
}

SysResult SetTapIoctl(int fd, unsigned long request, unsigned long value, const char* name) {
  if (ioctl(fd, request, value) != 0) return SysResult::Fail(name, errno);
  return SysResult{};
}

}  // namespace

Napi::Function TapDevice::Init(Napi::Env env) {
  return DefineClass(env, "TapDevice",
                     {
                         InstanceMethod("write", &TapDevice::Write),
                         InstanceMethod("close", &TapDevice::Close),
                         InstanceMethod("ref", &TapDevice::RefPort),
                         InstanceMethod("unref", &TapDevice::UnrefPort),
                         InstanceAccessor("fd", &TapDevice::Fd, nullptr),
                         InstanceAccessor("name", &TapDevice::Name, nullptr),
                     });
}

TapDevice::TapDevice(const Napi::CallbackInfo& info) : FramePort<TapDevice>(info) {
  Napi::Env env = info.Env();
  std::string netns;
  bool vnet_hdr = false, create = false;
  if (!ArgString(info, 0, "name", IFNAMSIZ - 1, false, &name_) || !ArgBool(info, 1, "vnetHdr", &vnet_hdr) ||
      !ArgBool(info, 2, "create", &create) || !ArgString(info, 3, "netns", PATH_MAX, true, &netns)) {
    return;
  }
  ifreq request = TapRequest(name_, vnet_hdr ? IFF_VNET_HDR : 0);
  int fd = -1;
  SysResult result = RunInNetns(netns, [&]() {
    SysResult exists = create ? SysResult{} : CheckExists(name_);
    return exists.ok() ? AttachTap(&request, O_NONBLOCK, &fd) : exists;
  });
  if (!CheckSys(env, result)) return;
  name_ = request.ifr_name;
  Start(env, fd, "netio.TapDevice");
}

ssize_t TapDevice::ReadFrame() {
  for (;;) {
    ssize_t length = read(fd(), buffer(), buffer_size());
    if (length >= 0) return length;
    if (errno != EINTR) return -errno;
  }
}

// A TAP fd reports POLLERR once its device is gone; reads then fail with EBADFD.
int TapDevice::PendingError() { return EBADFD; }

bool TapDevice::IsTransient(int /*err*/) { return false; }

bool TapDevice::DeliverFrame(Napi::Env env, Napi::Object self, Napi::Function onframe, size_t length) {
  onframe.Call(self, {Napi::Buffer<uint8_t>::Copy(env, buffer(), length)});
  return !env.IsExceptionPending();
}

Napi::Value TapDevice::Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint8_t* frame = nullptr;
  size_t length = 0;
  if (!ArgBytes(info, 0, "frame", &frame, &length) || !CheckOpen(env, "write")) return Napi::Value();
  ssize_t written = write(fd(), frame, length);
  if (written < 0) {
    ErrnoError(env, errno, "write").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  return Napi::Number::New(env, static_cast<double>(written));
}

Napi::Value TapDevice::Name(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), name_); }

Napi::Value TapCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name, netns;
  bool vnet_hdr = false;
  int64_t owner = -1, group = -1;
  if (!ArgString(info, 0, "name", IFNAMSIZ - 1, false, &name) || !ArgBool(info, 1, "vnetHdr", &vnet_hdr) ||
      !ArgInt(info, 2, "owner", -1, UINT32_MAX - 1, &owner) ||
      !ArgInt(info, 3, "group", -1, UINT32_MAX - 1, &group) ||
      !ArgString(info, 4, "netns", PATH_MAX, true, &netns)) {
    return Napi::Value();
  }
  ifreq request = TapRequest(name, static_cast<short>(IFF_TUN_EXCL | (vnet_hdr ? IFF_VNET_HDR : 0)));
  SysResult result = RunInNetns(netns, [&]() {
    int fd = -1;
    SysResult step = AttachTap(&request, 0, &fd);
    if (!step.ok()) return step;
    if (owner >= 0) step = SetTapIoctl(fd, TUNSETOWNER, static_cast<unsigned long>(owner), "ioctl(TUNSETOWNER)");
    if (step.ok() && group >= 0) {
      step = SetTapIoctl(fd, TUNSETGROUP, static_cast<unsigned long>(group), "ioctl(TUNSETGROUP)");
    }
    // Until TUNSETPERSIST succeeds, closing the fd removes the device again: a failure leaves nothing behind.
    if (step.ok()) step = SetTapIoctl(fd, TUNSETPERSIST, 1, "ioctl(TUNSETPERSIST)");
    close(fd);
    return step;
  });
  if (!CheckSys(env, result)) return Napi::Value();
  return Napi::String::New(env, request.ifr_name);
}

Napi::Value TapDelete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name, netns;
  if (!ArgString(info, 0, "name", IFNAMSIZ - 1, false, &name) ||
      !ArgString(info, 1, "netns", PATH_MAX, true, &netns)) {
    return Napi::Value();
  }
  ifreq request = TapRequest(name, 0);
  SysResult result = RunInNetns(netns, [&]() {
    SysResult step = CheckExists(name);
    int fd = -1;
    if (step.ok()) step = AttachTap(&request, 0, &fd);
    if (!step.ok()) return step;
    step = SetTapIoctl(fd, TUNSETPERSIST, 0, "ioctl(TUNSETPERSIST)");
    close(fd);  // the last fd of a non-persistent device: the kernel removes it
    return step;
  });
  if (!CheckSys(env, result)) return Napi::Value();
  return env.Undefined();
}

}  // namespace netio
