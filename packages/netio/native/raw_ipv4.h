// Sending complete IPv4 datagrams (IP_HDRINCL), source address included, as the broadcast forwarder needs.
#pragma once

#include <napi.h>

namespace netio {

// JS: sendIpv4(fd, packet) -> bytes sent. The destination is the packet's own destination address; fd is an
// AF_INET SOCK_RAW socket with IP_HDRINCL (see src/raw-ipv4.ts).
Napi::Value SendIpv4(const Napi::CallbackInfo& info);

}  // namespace netio
