// Network namespace entry without moving the JS main thread (see README: "Namespaces").
#pragma once

#include <napi.h>

#include <functional>
#include <string>

#include "errors.h"

namespace netio {

// Runs work on the calling thread when netns is empty; otherwise on a short-lived thread that first joins the
// network namespace at that path (/proc/<pid>/ns/net, /run/netns/<name>) and then exits. File descriptors the
// work opens stay bound to that namespace after the thread is gone.
SysResult RunInNetns(const std::string& netns, const std::function<SysResult()>& work);

// JS: setnsCurrentThread(path) — joins a netns on the calling thread; refuses on the main thread.
Napi::Value SetnsCurrentThread(const Napi::CallbackInfo& info);
// JS: openSocket(domain, type, protocol, netns | null) -> fd, created in that namespace (SOCK_CLOEXEC added).
Napi::Value OpenSocket(const Napi::CallbackInfo& info);

// JS: interfaceIndex(name, netnsPath | null) -> ifindex, looked up in that namespace.
Napi::Value InterfaceIndex(const Napi::CallbackInfo& info);

// JS: nameNetns(source, target) — what `ip netns attach` does: the directory of target made a shared mount
// point, target created (it must not exist) and the namespace file at source bind-mounted onto it.
Napi::Value NameNetns(const Napi::CallbackInfo& info);
// JS: unnameNetns(target) — what `ip netns delete` does: detached and unlinked; gone already is success.
Napi::Value UnnameNetns(const Napi::CallbackInfo& info);
}  // namespace netio
