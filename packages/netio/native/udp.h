// Socket options Node's dgram lacks, applied to an fd before (or after) dgram adopts it with bind({ fd }).
#pragma once

#include <napi.h>

namespace netio {

// JS: setIntOption(fd, level, name, value)
Napi::Value SetIntOptionJs(const Napi::CallbackInfo& info);
// JS: bindToDevice(fd, device | null) — SO_BINDTODEVICE; null removes the binding.
Napi::Value BindToDeviceJs(const Napi::CallbackInfo& info);
// JS: bindAddress(fd, family (4 | 6), address, port)
Napi::Value BindAddress(const Napi::CallbackInfo& info);
// JS: setMembership(fd, family (4 | 6), group, iface (index or name), join) — ip_mreqn / ipv6_mreq by ifindex.
Napi::Value SetMembership(const Napi::CallbackInfo& info);

}  // namespace netio
