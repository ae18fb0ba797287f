// Small socket helpers: each returns a SysResult naming the failing call.
#pragma once

#include "errors.h"

namespace netio {

SysResult SetIntOption(int fd, int level, int name, int value);
// SO_BINDTODEVICE; an empty name removes the binding.
SysResult BindToDevice(int fd, const std::string& device);
// Resolves an interface reference in the namespace of socket fd (SIOCGIFINDEX), or keeps the given index.
SysResult ResolveInterface(int fd, const InterfaceRef& ref, int* index);
// A closed fd result: closes fd (keeping errno of the failure) and passes the failure on.
SysResult CloseOnFailure(int fd, SysResult result);

}  // namespace netio
