#include "sockopt.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace netio {

SysResult SetIntOption(int fd, int level, int name, int value) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0) return SysResult::Fail("setsockopt", errno);
  return SysResult{};
}

SysResult BindToDevice(int fd, const std::string& device) {
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device.c_str(), static_cast<socklen_t>(device.size())) != 0) {
    return SysResult::Fail("setsockopt(SO_BINDTODEVICE)", errno);
  }
  return SysResult{};
}

SysResult ResolveInterface(int fd, const InterfaceRef& ref, int* index) {
  if (ref.name.empty()) {
    *index = ref.index;
    return SysResult{};
  }
  ifreq request;
  std::memset(&request, 0, sizeof request);
  std::strncpy(request.ifr_name, ref.name.c_str(), IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFINDEX, &request) != 0) return SysResult::Fail("ioctl(SIOCGIFINDEX)", errno);
  *index = request.ifr_ifindex;
  return SysResult{};
}

SysResult CloseOnFailure(int fd, SysResult result) {
  if (!result.ok() && fd >= 0) close(fd);
  return result;
}

}  // namespace netio
